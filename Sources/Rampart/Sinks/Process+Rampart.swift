import Foundation

extension Process {
    /// Shells whose `-c` argument is a command line interpreted by the shell.
    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"]

    /// `run()` after the RASP checks: the executable and its arguments (command injection), and for `sh -c ...`
    /// style launches the shell command line (shell injection).
    public func runChecked() throws {
        let executable = executableURL?.path ?? ""
        let arguments = arguments ?? []
        try RASPCheck.processArguments([executable] + arguments)
        if Self.shells.contains(URL(fileURLWithPath: executable).lastPathComponent),
            let flag = arguments.firstIndex(of: "-c"), flag + 1 < arguments.count
        {
            try RASPCheck.shellCommand(arguments[flag + 1])
        }
        try run()
    }
}
