/// What produced a ``SecurityEvent``.
public enum EventKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A WAF rule matched request data.
    case waf
    /// A RASP detector caught user input changing a dangerous operation (SQL, shell, file, outgoing URL).
    case rasp
    /// The client IP or user was on a blocklist.
    case blocklist
    /// An account-takeover signal: a tracked login (success or failure).
    case login
    /// A Content-Security-Policy violation report.
    case csp
    /// An application-defined event (`Rampart.track(event:)`).
    case custom
}
