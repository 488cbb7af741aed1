import Foundation

extension Process {
    /// `run()` after the RASP checks: the executable and its arguments (command injection), and for `sh -c ...`
    /// style launches the shell command line (shell injection).
    public func runChecked() throws {
        try RASPCheck.processLaunch(executable: executableURL?.path ?? "", arguments: arguments ?? [])
        try run()
    }
}
