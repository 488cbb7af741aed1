/// Whether matches of a rule category are only reported or also blocked.
public enum ProtectionMode: String, Codable, Sendable, Hashable, CaseIterable {
    case monitor
    case block
}
