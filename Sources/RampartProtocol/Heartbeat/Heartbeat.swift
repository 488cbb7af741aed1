import Foundation

/// `POST /api/v1/agent/heartbeat`: sent every ``AgentLoginResponse/heartbeatInterval`` seconds with the event
/// batches not yet acknowledged (oldest first) and the metrics since the previous heartbeat.
public struct Heartbeat: Codable, Sendable, Hashable {
    public var agentID: String
    /// Increases by one per heartbeat sent by this agent process (retries of a failed heartbeat keep counting).
    public var sequence: Int
    /// Unacknowledged batches in the order they were produced. A batch the platform already stored is
    /// acknowledged again and not stored twice.
    public var batches: [EventBatch]
    public var metrics: AgentMetrics
    /// The last ``HeartbeatResponse/settingsRevision`` (or login revision) the agent applied. With it the platform
    /// sends exactly the changes made since; without it, the changes since the revision it last sent this agent.
    public var settingsRevision: Int?
    /// The ruleset version the agent's WAF currently runs, for the dashboard.
    public var rulesetVersion: String?

    public init(
        agentID: String, sequence: Int, batches: [EventBatch], metrics: AgentMetrics,
        settingsRevision: Int? = nil, rulesetVersion: String? = nil
    ) {
        self.agentID = agentID
        self.sequence = sequence
        self.batches = batches
        self.metrics = metrics
        self.settingsRevision = settingsRevision
        self.rulesetVersion = rulesetVersion
    }
}

/// Events grouped under one id: the unit of delivery, acknowledgement and de-duplication.
public struct EventBatch: Codable, Sendable, Hashable {
    /// Chosen by the agent when the batch is formed and kept across retries.
    public var batchID: UUID
    public var events: [SecurityEvent]

    public init(batchID: UUID = UUID(), events: [SecurityEvent]) {
        self.batchID = batchID
        self.events = events
    }
}

/// Counters since the previous heartbeat (deltas, not totals), except `wafP99Micros`.
public struct AgentMetrics: Codable, Sendable, Hashable {
    public var requests: Int
    public var blocked: Int
    public var attacks: Int
    /// Events or batches dropped because the agent's buffer was full.
    public var droppedEvents: Int
    public var wafTimeouts: Int
    /// 99th percentile of WAF run time per request over the interval, in microseconds.
    public var wafP99Micros: Int

    public init(
        requests: Int = 0, blocked: Int = 0, attacks: Int = 0, droppedEvents: Int = 0, wafTimeouts: Int = 0,
        wafP99Micros: Int = 0
    ) {
        self.requests = requests
        self.blocked = blocked
        self.attacks = attacks
        self.droppedEvents = droppedEvents
        self.wafTimeouts = wafTimeouts
        self.wafP99Micros = wafP99Micros
    }

    private enum CodingKeys: String, CodingKey {
        case requests, blocked, attacks, droppedEvents, wafTimeouts, wafP99Micros
    }

    /// Missing counters read as zero so agents can omit what they do not measure.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.decodeIfPresent(Int.self, forKey: .requests) ?? 0
        blocked = try container.decodeIfPresent(Int.self, forKey: .blocked) ?? 0
        attacks = try container.decodeIfPresent(Int.self, forKey: .attacks) ?? 0
        droppedEvents = try container.decodeIfPresent(Int.self, forKey: .droppedEvents) ?? 0
        wafTimeouts = try container.decodeIfPresent(Int.self, forKey: .wafTimeouts) ?? 0
        wafP99Micros = try container.decodeIfPresent(Int.self, forKey: .wafP99Micros) ?? 0
    }
}
