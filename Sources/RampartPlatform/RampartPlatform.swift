/// RampartPlatform: the command centre Rampart agents report to.
///
/// - `Storage/`: one SQL store over SQLite (embedded file, the default) or PostgreSQL (shared by several
///   stateless platform instances), with schema migrations.
/// - `API/`: the agent protocol of `docs/agent-protocol.md` (login, heartbeat, ruleset download).
/// - `Dashboard/`: server-rendered HTML (Mustache templates, inline SVG charts, no external assets).
/// - `Security/`: API keys (salted HMAC-SHA256), dashboard passwords (scrypt), sessions and CSRF tokens.
/// - `Retention/`: deletes events older than the configured number of days.
/// - `Server/`: configuration and the Hummingbird application that ties them together.
public enum RampartPlatform {
    /// Reported on the dashboard and in logs.
    public static let version = "0.1.0"
}
