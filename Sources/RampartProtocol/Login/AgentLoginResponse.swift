/// The platform's answer to ``AgentLogin``: how often to send heartbeats and the full current settings as commands.
public struct AgentLoginResponse: Codable, Sendable, Hashable {
    /// Echo of ``AgentLogin/agentID``.
    public var agentID: String
    /// Seconds between heartbeats.
    public var heartbeatInterval: Int
    /// The whole desired state (mode, budget, ruleset, blocklists), to apply in order.
    public var commands: [AgentCommand]
    /// The settings revision `commands` bring the agent to; send it back in ``Heartbeat/settingsRevision``.
    public var settingsRevision: Int

    public init(agentID: String, heartbeatInterval: Int, commands: [AgentCommand], settingsRevision: Int = 0) {
        self.agentID = agentID
        self.heartbeatInterval = heartbeatInterval
        self.commands = commands
        self.settingsRevision = settingsRevision
    }

    private enum CodingKeys: String, CodingKey {
        case agentID, heartbeatInterval, commands, settingsRevision
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        agentID = try container.decode(String.self, forKey: .agentID)
        heartbeatInterval = try container.decode(Int.self, forKey: .heartbeatInterval)
        commands = try container.decodeIfPresent([AgentCommand].self, forKey: .commands) ?? []
        settingsRevision = try container.decodeIfPresent(Int.self, forKey: .settingsRevision) ?? 0
    }
}
