import Foundation

/// The platform's answer to a ``Heartbeat``.
public struct HeartbeatResponse: Codable, Sendable, Hashable {
    /// The `batchID`s (UUID strings, upper case) now stored, including ones stored by an earlier attempt.
    /// The agent drops these from its queue; compare as UUIDs, not as strings.
    public var acknowledgedBatchIDs: [String]
    /// Settings changes since the agent's revision, to apply in order. Empty when nothing changed.
    public var commands: [AgentCommand]
    /// The revision the commands bring the agent to; send it in the next ``Heartbeat/settingsRevision``.
    public var settingsRevision: Int

    public init(acknowledgedBatchIDs: [String], commands: [AgentCommand], settingsRevision: Int = 0) {
        self.acknowledgedBatchIDs = acknowledgedBatchIDs
        self.commands = commands
        self.settingsRevision = settingsRevision
    }

    /// ``acknowledgedBatchIDs`` parsed as UUIDs (malformed entries skipped).
    public var acknowledgedBatchUUIDs: Set<UUID> {
        Set(acknowledgedBatchIDs.compactMap(UUID.init(uuidString:)))
    }

    private enum CodingKeys: String, CodingKey {
        case acknowledgedBatchIDs, commands, settingsRevision
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        acknowledgedBatchIDs = try container.decodeIfPresent([String].self, forKey: .acknowledgedBatchIDs) ?? []
        commands = try container.decodeIfPresent([AgentCommand].self, forKey: .commands) ?? []
        settingsRevision = try container.decodeIfPresent(Int.self, forKey: .settingsRevision) ?? 0
    }
}
