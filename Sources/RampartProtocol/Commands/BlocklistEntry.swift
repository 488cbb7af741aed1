import Foundation

/// An IP address, CIDR range or user id to deny, until `expiresAt` when set.
public struct BlocklistEntry: Codable, Sendable, Hashable {
    /// `203.0.113.7`, `2001:db8::/32`, or a user id.
    public var value: String
    /// When the block lapses; `nil` blocks until an explicit unblock. Agents drop expired entries themselves.
    public var expiresAt: Date?

    public init(value: String, expiresAt: Date? = nil) {
        self.value = value
        self.expiresAt = expiresAt
    }

    /// Whether the entry still applies at `date`.
    public func isActive(at date: Date) -> Bool {
        guard let expiresAt else { return true }
        return expiresAt > date
    }

    private enum CodingKeys: String, CodingKey {
        case value, expiresAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(String.self, forKey: .value)
        expiresAt = try container.decodeTimestampIfPresent(forKey: .expiresAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encodeTimestampIfPresent(expiresAt, forKey: .expiresAt)
    }
}
