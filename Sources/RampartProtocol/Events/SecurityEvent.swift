import Foundation

/// One security event as reported to the platform: what happened, where, why, when and who.
public struct SecurityEvent: Codable, Sendable, Hashable {
    public var eventID: UUID
    /// When the agent observed it; ISO 8601 with milliseconds on the wire.
    public var timestamp: Date
    public var kind: EventKind
    /// Whether the request was denied (or the operation refused).
    public var blocked: Bool
    /// The framework's route pattern (`/users/:id`), empty when unknown.
    public var route: String
    public var method: String
    /// The URL path as requested (without the query).
    public var path: String
    public var clientIP: String
    public var userID: String?
    public var userAgent: String?
    /// The response status sent, when known.
    public var status: Int?
    public var rules: [RuleMatchEvidence]
    /// Stack frames for RASP events, innermost first.
    public var stack: [String]?
    public var request: RequestSummary?

    public init(
        eventID: UUID = UUID(), timestamp: Date, kind: EventKind, blocked: Bool, route: String, method: String,
        path: String, clientIP: String, userID: String? = nil, userAgent: String? = nil, status: Int? = nil,
        rules: [RuleMatchEvidence] = [], stack: [String]? = nil, request: RequestSummary? = nil
    ) {
        self.eventID = eventID
        self.timestamp = timestamp
        self.kind = kind
        self.blocked = blocked
        self.route = route
        self.method = method
        self.path = path
        self.clientIP = clientIP
        self.userID = userID
        self.userAgent = userAgent
        self.status = status
        self.rules = rules
        self.stack = stack
        self.request = request
    }

    private enum CodingKeys: String, CodingKey {
        case eventID, timestamp, kind, blocked, route, method, path, clientIP, userID, userAgent, status, rules, stack,
            request
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventID = try container.decode(UUID.self, forKey: .eventID)
        timestamp = try container.decodeTimestamp(forKey: .timestamp)
        kind = try container.decode(EventKind.self, forKey: .kind)
        blocked = try container.decode(Bool.self, forKey: .blocked)
        route = try container.decodeIfPresent(String.self, forKey: .route) ?? ""
        method = try container.decode(String.self, forKey: .method)
        path = try container.decode(String.self, forKey: .path)
        clientIP = try container.decode(String.self, forKey: .clientIP)
        userID = try container.decodeIfPresent(String.self, forKey: .userID)
        userAgent = try container.decodeIfPresent(String.self, forKey: .userAgent)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        rules = try container.decodeIfPresent([RuleMatchEvidence].self, forKey: .rules) ?? []
        stack = try container.decodeIfPresent([String].self, forKey: .stack)
        request = try container.decodeIfPresent(RequestSummary.self, forKey: .request)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventID, forKey: .eventID)
        try container.encodeTimestamp(timestamp, forKey: .timestamp)
        try container.encode(kind, forKey: .kind)
        try container.encode(blocked, forKey: .blocked)
        try container.encode(route, forKey: .route)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encode(clientIP, forKey: .clientIP)
        try container.encodeIfPresent(userID, forKey: .userID)
        try container.encodeIfPresent(userAgent, forKey: .userAgent)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encode(rules, forKey: .rules)
        try container.encodeIfPresent(stack, forKey: .stack)
        try container.encodeIfPresent(request, forKey: .request)
    }
}
