import Foundation
import RampartProtocol

/// An application registered on the platform (one API key each).
public struct AppRecord: Sendable, Hashable {
    public var appID: String
    public var name: String
    public var createdAt: Date
    public var settingsRevision: Int
}

/// The outcome of registering an application: the key is shown once and never stored in clear.
public struct CreatedApp: Sendable {
    public var app: AppRecord
    public var apiKey: APIKey
}

/// What an agent reported at login and in its heartbeats.
public struct AgentRecord: Sendable, Hashable {
    public var agentID: String
    public var appID: String
    public var appName: String
    public var environment: String
    public var hostname: String
    public var rampartVersion: String
    public var swiftVersion: String
    public var os: String
    public var framework: String
    public var routes: [RouteInfo]
    public var dependencies: [Dependency]
    public var firstSeen: Date
    public var lastLogin: Date
    public var lastHeartbeat: Date?
    public var heartbeatInterval: Int
    public var rulesetVersion: String?
    public var totalRequests: Int
    public var totalBlocked: Int
    public var totalAttacks: Int
    public var droppedEvents: Int
    public var wafTimeouts: Int
    public var wafP99Micros: Int

    /// Healthy while heartbeats arrive on time; stale after three missed intervals; offline after ten.
    public func health(at now: Date) -> AgentHealth {
        let last = lastHeartbeat ?? lastLogin
        let silence = now.timeIntervalSince(last)
        let interval = Double(max(heartbeatInterval, 1))
        if silence > interval * 10 { return .offline }
        if silence > interval * 3 { return .stale }
        return droppedEvents > 0 || wafTimeouts > 0 ? .degraded : .healthy
    }
}

public enum AgentHealth: String, Sendable {
    case healthy, degraded, stale, offline
}

/// A stored event with where it came from.
public struct StoredEvent: Sendable {
    public var event: SecurityEvent
    public var appID: String
    public var appName: String
    public var agentID: String
    public var environment: String
    public var receivedAt: Date
}

/// Which events a dashboard view covers.
public struct EventFilter: Sendable, Hashable {
    public var since: Date
    public var until: Date
    public var appID: String?
    public var environment: String?
    public var clientIP: String?
    public var category: String?

    public init(since: Date, until: Date, appID: String? = nil, environment: String? = nil, clientIP: String? = nil, category: String? = nil) {
        self.since = since
        self.until = until
        self.appID = appID
        self.environment = environment
        self.clientIP = clientIP
        self.category = category
    }
}

/// The numbers behind the overview page.
public struct OverviewData: Sendable {
    public struct Bucket: Sendable, Hashable {
        public var start: Date
        public var blocked: Int
        public var monitored: Int
    }

    public struct Count: Sendable, Hashable {
        public var label: String
        public var count: Int
    }

    public var total: Int
    public var blocked: Int
    public var buckets: [Bucket]
    public var bucketSeconds: Int
    public var topCategories: [Count]
    public var topIPs: [Count]
    public var topRoutes: [Count]
    public var monitored: Int { total - blocked }
}

/// Events from one attacker IP and one attack category in a time window.
public struct SignalGroup: Sendable, Hashable {
    public var clientIP: String
    public var category: String
    public var count: Int
    public var blocked: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public var latestEventID: String
    public var routes: [String]
}

/// A blocklist entry as stored, with its origin.
public struct BlocklistRecord: Sendable, Hashable {
    public var list: BlocklistKind
    public var value: String
    public var expiresAt: Date?
    public var reason: String
    public var createdAt: Date
}

public enum BlocklistKind: String, Sendable, CaseIterable {
    case ip, user
}

/// A custom ruleset uploaded for an application.
public struct RulesetRecord: Sendable, Hashable {
    public var version: String
    public var uploadedAt: Date
    public var diagnostics: String
}

/// An application's settings as the dashboard shows them.
public struct AppSettings: Sendable {
    public var revision: Int
    public var defaultMode: ProtectionMode?
    public var categoryModes: [String: ProtectionMode]
    public var budgetMicros: Int?
    public var rulesetVersion: String?
    public var blocklist: [BlocklistRecord]
    public var rulesets: [RulesetRecord]
}

/// A dashboard account.
public struct UserRecord: Sendable, Hashable {
    public var username: String
    public var role: UserRole
}

public enum UserRole: String, Sendable, CaseIterable {
    /// Reads everything and changes settings.
    case admin
    /// Reads everything, changes nothing.
    case viewer
}

/// A dashboard login session (the cookie holds the token; the database only its hash).
public struct SessionRecord: Sendable, Hashable {
    public var user: UserRecord
    public var csrfToken: String
    public var expiresAt: Date
}
