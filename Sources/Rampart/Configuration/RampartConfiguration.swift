import RampartProtocol

/// Everything the agent can be told, from code or from `RAMPART_*` environment variables
/// (`RampartConfiguration(environment:)`). Every field has a safe default; docs/configuration.md is the reference.
public struct RampartConfiguration: Sendable {
    /// `RAMPART_ENABLED`: when false the middlewares and hooks pass everything through untouched.
    public var enabled: Bool = true
    /// `RAMPART_MODE`: monitor (default: never breaks the app) or block.
    public var mode: ProtectionMode = .monitor
    /// `RAMPART_RULES`: path of a libddwaf-format ruleset replacing the embedded one. A file that cannot be read
    /// or loaded falls back to the embedded ruleset with a logged error.
    public var rulesPath: String?
    /// `RAMPART_WAF_BUDGET`: time the WAF may spend per request phase; past it the phase is abandoned
    /// (counted as a timeout) and the request passes.
    public var wafBudget: Duration = .milliseconds(5)
    /// `RAMPART_RASP_ENABLED`: whether the SQL, HTTP, process and file hooks run their checks.
    public var raspEnabled: Bool = true
    /// `RAMPART_TRUSTED_PROXIES`: addresses or CIDR ranges of the reverse proxies in front of the app. Forwarding
    /// headers are believed only for hops added by these; empty (the default) means the TCP peer is the client.
    public var trustedProxies: [String] = []
    /// `RAMPART_BODY_LIMIT`: at most this many body bytes are read for inspection. Longer bodies pass: Hummingbird
    /// inspects their first `bodyLimit` bytes and streams the rest through; Vapor inspects only bodies within it.
    public var bodyLimit: Int = 64 * 1024
    /// `RAMPART_OBFUSCATION_KEY_REGEX`: keys whose values are redacted from events (RE2 syntax); nil = built-in.
    public var obfuscationKeyRegex: String?
    /// `RAMPART_OBFUSCATION_VALUE_REGEX`: values redacted from events wherever they appear; nil = built-in.
    public var obfuscationValueRegex: String?
    /// Key names (compared case-insensitively, as substrings) whose values are always redacted from events.
    public var sensitiveKeys: [String] = RampartConfiguration.defaultSensitiveKeys
    /// `RAMPART_BLOCKED_TEMPLATE_JSON`: body of JSON blocking responses (contents, read from the file the variable
    /// names). `[security_response_id]` is replaced by the response id.
    public var blockedTemplateJSON: String?
    /// `RAMPART_BLOCKED_TEMPLATE_HTML`: body of HTML blocking responses, as above.
    public var blockedTemplateHTML: String?
    /// `RAMPART_BLOCK_STATUS`: status of blocking responses when the rule's action does not say (default 403).
    public var blockStatus: Int = 403
    /// `RAMPART_PLATFORM_URL`: the platform's base URL; nil = no platform (events go to the log only).
    public var platformURL: String?
    /// `RAMPART_API_KEY`: the application's API key for the platform.
    public var apiKey: String?
    /// `RAMPART_PACKAGE_RESOLVED`: the app's `Package.resolved`, read for the dependency inventory sent to the
    /// platform (default `Package.resolved` in the working directory; deployments copy it next to the binary).
    public var packageResolvedPath: String = "Package.resolved"
    /// Delays between attempts while the platform is unreachable (exponential with jitter, 1 s to 60 s by default).
    public var platformBackoff: Backoff = Backoff()
    /// Longest wait for one platform request; HTTP clients keep retrying a refused connection until then.
    public var platformRequestTimeout: Duration = .seconds(10)
    /// `RAMPART_APP_NAME`: the application name shown on the platform.
    public var appName: String = "app"
    /// `RAMPART_ENV`: the environment name shown on the platform.
    public var environment: String = "production"
    /// `RAMPART_EVENT_BUFFER`: events kept in memory for exporters; the oldest are dropped (and counted) past it.
    public var eventBufferCapacity: Int = 1000
    /// `RAMPART_HEARTBEAT_INTERVAL`: seconds between heartbeats to the platform.
    public var heartbeatInterval: Duration = .seconds(20)
    /// `RAMPART_UNACKNOWLEDGED_BATCHES`: batches kept for resending while the platform is unreachable.
    public var maxUnacknowledgedBatches: Int = 100
    /// `RAMPART_SCANNER_404_THRESHOLD`: 404 responses to one client IP within ``scannerNotFoundWindow`` that are
    /// reported as one `security_scanner` event (file probing); 0 turns the check off.
    public var scannerNotFoundThreshold: Int = 20
    /// `RAMPART_SCANNER_404_WINDOW`: seconds over which a client's 404s are counted.
    public var scannerNotFoundWindow: Duration = .seconds(60)

    public static let defaultSensitiveKeys = [
        "password", "passwd", "pwd", "secret", "authorization", "api_key", "apikey", "api-key", "access_token",
        "refresh_token", "token", "cookie", "session", "private_key", "credit_card", "card_number", "cvv", "ssn",
    ]

    public init() {}
}
