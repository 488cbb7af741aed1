import Foundation

/// How `rampart platform serve` runs.
public struct PlatformConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseLocation
    /// Events older than this many days are deleted by the retention job.
    public var retentionDays: Int
    /// How often the retention job runs.
    public var retentionInterval: Duration
    /// Seconds between agent heartbeats, sent to agents at login.
    public var heartbeatInterval: Int
    /// Largest agent request body accepted.
    public var maxBodyBytes: Int
    /// Marks session cookies `Secure`; set when the platform is served over TLS (directly or behind a proxy).
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// Failed dashboard logins allowed per user name in ``loginFailureWindow`` before logins are refused.
    public var maxLoginFailures: Int
    public var loginFailureWindow: TimeInterval
    /// Lets webhook URLs point at internal addresses (loopback, private, ...): `--allow-internal-webhooks`, for
    /// tests against a local receiver. Off by default: webhook URLs are checked against SSRF.
    public var allowInternalWebhooks: Bool = false
    /// Queue, retry and timeout settings of webhook delivery.
    public var webhookSettings = WebhookDispatcher.Settings()

    public init(
        host: String = "127.0.0.1", port: Int = 8443, database: DatabaseLocation = .sqlite(path: "rampart-platform.sqlite"),
        retentionDays: Int = 30, retentionInterval: Duration = .seconds(3600), heartbeatInterval: Int = 20,
        maxBodyBytes: Int = 8 << 20, secureCookies: Bool = false, sessionLifetime: TimeInterval = 12 * 3600,
        maxLoginFailures: Int = 5, loginFailureWindow: TimeInterval = 900
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.retentionDays = retentionDays
        self.retentionInterval = retentionInterval
        self.heartbeatInterval = heartbeatInterval
        self.maxBodyBytes = maxBodyBytes
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.maxLoginFailures = maxLoginFailures
        self.loginFailureWindow = loginFailureWindow
    }
}
