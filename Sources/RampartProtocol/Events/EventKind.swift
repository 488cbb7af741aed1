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

extension EventKind {
    /// The rule id a ``login`` event carries for a failed login (`Rampart.trackLogin(success: false, ...)`); the
    /// platform's failed-login playbook counts these per user.
    public static let loginFailureRuleID = "login.failure"
    /// The rule id a ``login`` event carries for a successful login.
    public static let loginSuccessRuleID = "login.success"
}
