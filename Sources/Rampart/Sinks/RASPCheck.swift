import RampartWAF

/// The RASP checks the sink wrappers call just before a dangerous operation: each runs the WAF's RASP rules over
/// the operation (as an ephemeral address) against the parameters of the current request. Outside a protected
/// request, with RASP disabled, or in monitor mode they only report (or do nothing) and never throw; in block mode
/// an exploit throws ``RampartBlockedError`` before the operation happens.
public enum RASPCheck {
    /// An SQL statement about to be executed; `system` is the database (`sqlite`, `postgresql`, `mysql`, ...).
    public static func sqlStatement(_ statement: String, system: String) throws(RampartBlockedError) {
        try check(
            ["server.db.statement": .string(statement), "server.db.system": .string(system)], operation: "SQL statement")
    }

    /// A URL about to be requested by the server.
    public static func outgoingURL(_ url: String) throws(RampartBlockedError) {
        try check(["server.io.net.url": .string(url)], operation: "outgoing request")
    }

    /// A file path about to be opened.
    public static func filePath(_ path: String) throws(RampartBlockedError) {
        try check(["server.io.fs.file": .string(path)], operation: "file access")
    }

    /// A process launched without a shell: executable and arguments.
    public static func processArguments(_ arguments: [String]) throws(RampartBlockedError) {
        try check(["server.sys.exec.cmd": .array(arguments.map { .string($0) })], operation: "process launch")
    }

    /// A command line interpreted by a shell (`sh -c ...`).
    public static func shellCommand(_ commandLine: String) throws(RampartBlockedError) {
        try check(["server.sys.shell.cmd": .string(commandLine)], operation: "shell command")
    }

    static func check(_ ephemeral: [String: WAFValue], operation: String) throws(RampartBlockedError) {
        guard let context = RequestSecurityContext.current, context.agent.configuration.raspEnabled else { return }
        try context.checkSink(ephemeral, operation: operation)
    }
}
