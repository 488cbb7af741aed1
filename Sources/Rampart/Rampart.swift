import RampartProtocol

/// Rampart: the in-app agent — configuration, per-request security context, blocking, events and transport.
///
/// The static API below works from anywhere inside a request handled by a Rampart middleware (it finds the
/// request through ``RequestSecurityContext/current``); outside a request it does nothing.
public enum Rampart {
    /// Associates the current request with a user. Throws ``RampartBlockedError`` (which the middleware turns into
    /// the blocking response) when that user is blocked and the agent is in block mode.
    public static func setUser(id: String) throws(RampartBlockedError) {
        try RequestSecurityContext.current?.setUser(id: id)
    }

    /// Reports a login attempt (account-takeover signal): `success` false for a failed password check.
    public static func trackLogin(success: Bool, user: String, metadata: [String: String] = [:]) {
        guard let context = RequestSecurityContext.current else { return }
        var details = metadata
        details["success"] = String(success)
        context.recordBusinessEvent(
            kind: .login, name: success ? EventKind.loginSuccessRuleID : EventKind.loginFailureRuleID, userID: user,
            metadata: details)
    }

    /// Reports an application-defined security event (`password_reset`, `payment_failed`, ...).
    public static func track(event name: String, metadata: [String: String] = [:]) {
        RequestSecurityContext.current?.recordBusinessEvent(
            kind: .custom, name: name, userID: nil, metadata: metadata)
    }
}
