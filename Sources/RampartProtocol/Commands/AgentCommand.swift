/// An instruction from the platform, carried by login and heartbeat responses.
///
/// On the wire a command is an object tagged by `type`:
/// `{"type":"setMode","category":"sql_injection","mode":"block"}`. A command type this module does not know
/// decodes as ``unsupported(type:)`` so that an older agent keeps working with a newer platform.
public enum AgentCommand: Codable, Sendable, Hashable {
    /// Download the ruleset `version` from `url` (relative to the platform's base URL) and load it.
    case fetchRuleset(version: String, url: String)
    /// Add or refresh IP/CIDR blocks.
    case blockIPs([BlocklistEntry])
    case unblockIPs([String])
    /// Add or refresh user-id blocks.
    case blockUsers([BlocklistEntry])
    case unblockUsers([String])
    /// Mode for one rule category (the `type` tag of libddwaf rules, e.g. `sql_injection`), or for all
    /// categories without their own mode when `category` is nil.
    case setMode(category: String?, mode: ProtectionMode)
    /// WAF time budget per request phase, in microseconds.
    case setBudget(micros: Int)
    /// A command type added by a later protocol revision; agents ignore it.
    case unsupported(type: String)

    /// The `type` tag of this command.
    public var type: String {
        switch self {
        case .fetchRuleset: CommandType.fetchRuleset
        case .blockIPs: CommandType.blockIPs
        case .unblockIPs: CommandType.unblockIPs
        case .blockUsers: CommandType.blockUsers
        case .unblockUsers: CommandType.unblockUsers
        case .setMode: CommandType.setMode
        case .setBudget: CommandType.setBudget
        case .unsupported(let type): type
        }
    }

    /// The `type` tags of the commands.
    public enum CommandType {
        public static let fetchRuleset = "fetchRuleset"
        public static let blockIPs = "blockIPs"
        public static let unblockIPs = "unblockIPs"
        public static let blockUsers = "blockUsers"
        public static let unblockUsers = "unblockUsers"
        public static let setMode = "setMode"
        public static let setBudget = "setBudget"
    }

    private enum CodingKeys: String, CodingKey {
        case type, version, url, entries, values, category, mode, micros
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case CommandType.fetchRuleset:
            self = .fetchRuleset(
                version: try container.decode(String.self, forKey: .version),
                url: try container.decode(String.self, forKey: .url))
        case CommandType.blockIPs:
            self = .blockIPs(try container.decode([BlocklistEntry].self, forKey: .entries))
        case CommandType.unblockIPs:
            self = .unblockIPs(try container.decode([String].self, forKey: .values))
        case CommandType.blockUsers:
            self = .blockUsers(try container.decode([BlocklistEntry].self, forKey: .entries))
        case CommandType.unblockUsers:
            self = .unblockUsers(try container.decode([String].self, forKey: .values))
        case CommandType.setMode:
            self = .setMode(
                category: try container.decodeIfPresent(String.self, forKey: .category),
                mode: try container.decode(ProtectionMode.self, forKey: .mode))
        case CommandType.setBudget:
            self = .setBudget(micros: try container.decode(Int.self, forKey: .micros))
        default:
            self = .unsupported(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .fetchRuleset(let version, let url):
            try container.encode(version, forKey: .version)
            try container.encode(url, forKey: .url)
        case .blockIPs(let entries), .blockUsers(let entries):
            try container.encode(entries, forKey: .entries)
        case .unblockIPs(let values), .unblockUsers(let values):
            try container.encode(values, forKey: .values)
        case .setMode(let category, let mode):
            try container.encodeIfPresent(category, forKey: .category)
            try container.encode(mode, forKey: .mode)
        case .setBudget(let micros):
            try container.encode(micros, forKey: .micros)
        case .unsupported:
            break
        }
    }
}
