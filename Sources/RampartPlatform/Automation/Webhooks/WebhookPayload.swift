import Foundation
import RampartProtocol

/// The JSON body POSTed to webhooks. `type` says which of `events` or `playbook` is present. Events are
/// summaries (no request bodies or matched values: those stay on the platform, behind its login).
public struct WebhookPayload: Codable, Sendable, Hashable {
    public var type: String
    public var deliveryID: String
    public var sentAt: Date
    public var platformVersion: String
    public var app: AppReference
    /// Newly stored events of one heartbeat, at most ``WebhookDispatcher/Settings/maxEventsPerDelivery``.
    public var events: [EventSummary]?
    /// All newly stored events of the heartbeat (more than `events` holds when truncated).
    public var eventCount: Int?
    public var playbook: PlaybookRun?

    public struct AppReference: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
    }

    public struct EventSummary: Codable, Sendable, Hashable {
        public var eventID: String
        public var timestamp: Date
        public var kind: String
        public var blocked: Bool
        public var method: String
        public var path: String
        public var route: String
        public var clientIP: String
        public var userID: String?
        public var ruleIDs: [String]
        public var categories: [String]

        init(_ event: SecurityEvent) {
            eventID = event.eventID.uuidString
            timestamp = event.timestamp
            kind = event.kind.rawValue
            blocked = event.blocked
            method = event.method
            path = event.path
            route = event.route
            clientIP = event.clientIP
            userID = event.userID
            ruleIDs = event.rules.map(\.ruleID)
            var categories: [String] = []
            for rule in event.rules where !categories.contains(rule.category) { categories.append(rule.category) }
            self.categories = categories
        }
    }

    public struct PlaybookRun: Codable, Sendable, Hashable {
        /// e.g. `auto-block`.
        public var name: String
        public var description: String
        public var blockedIPs: [String]
    }

    func encoded() throws -> Data {
        try ProtocolCoding.encode(self)
    }
}
