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

    /// libddwaf's `server.db.system` name for a database whose SQL dialect (SQLKit's `dialect.name`) is
    /// `dialectName`, for the SQL wrappers that know the dialect but not the database.
    public static func databaseSystem(sqlDialectName dialectName: String) -> String {
        switch dialectName.lowercased() {
        case "postgresql", "postgres": "postgresql"
        case "mysql": "mysql"
        case "sqlite": "sqlite"
        default: dialectName.lowercased()
        }
    }

    /// A URL about to be requested by the server.
    public static func outgoingURL(_ url: String) throws(RampartBlockedError) {
        try check(["server.io.net.url": .string(url)], operation: "outgoing request")
    }

    /// The addresses an outgoing request's host name resolves to (DNS rebinding): looked up only inside a protected
    /// request, when the host is a name (not an IP literal) that a request parameter helped to choose. Throws
    /// ``RampartBlockedError``; declared with untyped `throws` because Swift 6.3's optimizer crashes (LLVM coroutine
    /// splitting, swifterror) on an `async throws(E)` function inlined into a loop in release builds.
    public static func outgoingURLResolvedAddresses(
        _ url: String, resolver: HostNameResolver = .system
    ) async throws {
        guard let context = RequestSecurityContext.current, context.agent.configuration.raspEnabled,
            let host = hostName(of: url)
        else { return }
        if let decision = context.inspectDeferredBody() {
            throw RampartBlockedError(decision: decision, reason: "attack in the request body")
        }
        let parameters = context.userParameters()
        let lowercasedHost = host.lowercased()
        let chosenByInput = parameters.contains { parameter in
            let value = parameter.value.lowercased()
            return value.count >= 2 && (lowercasedHost.contains(value) || value.contains(lowercasedHost))
        }
        // A host that is internal by its text alone is the SSRF rule's case, already reported by `outgoingURL`.
        guard chosenByInput, SSRFDetector.detect(url: url, parameters: parameters) == nil else { return }
        let addresses = await resolver.addresses(of: host)
        try context.checkResolvedHost(url: url, addresses: addresses, parameters: parameters)
    }

    /// The host name of `url` (nil for an IP literal or no authority): after `scheme://` and any userinfo, before
    /// the port, path, query or fragment.
    static func hostName(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "\\" }
        let hostAndPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        guard !hostAndPort.hasPrefix("[") else { return nil }  // IPv6 literal
        let host = hostAndPort.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard !host.isEmpty, IPAddress(String(host)) == nil else { return nil }
        return String(host)
    }

    /// A file path about to be opened.
    public static func filePath(_ path: String) throws(RampartBlockedError) {
        try check(["server.io.fs.file": .string(path)], operation: "file access")
    }

    /// A process launched without a shell: executable and arguments.
    public static func processArguments(_ arguments: [String]) throws(RampartBlockedError) {
        try check(["server.sys.exec.cmd": .array(arguments.map { .string($0) })], operation: "process launch")
    }

    /// Shells whose `-c` argument is a command line interpreted by the shell.
    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"]

    /// A process launch (any API): the executable and its arguments (command injection), and for `sh -c ...`
    /// style launches also the shell command line (shell injection).
    public static func processLaunch(executable: String, arguments: [String]) throws(RampartBlockedError) {
        try processArguments([executable] + arguments)
        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        if shells.contains(name), let flag = arguments.firstIndex(of: "-c"), flag < arguments.count - 1 {
            try shellCommand(arguments[flag + 1])
        }
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
