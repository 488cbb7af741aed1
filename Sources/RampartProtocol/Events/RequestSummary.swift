/// The request an event happened in, scrubbed by the agent before it leaves the process.
public struct RequestSummary: Codable, Sendable, Hashable {
    /// Lower-cased header names; multiple values joined with `, `.
    public var headers: [String: String]
    /// Decoded query parameters, each with all its values.
    public var query: [String: [String]]

    public init(headers: [String: String] = [:], query: [String: [String]] = [:]) {
        self.headers = headers
        self.query = query
    }

    private enum CodingKeys: String, CodingKey {
        case headers, query
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        query = try container.decodeIfPresent([String: [String]].self, forKey: .query) ?? [:]
    }
}
