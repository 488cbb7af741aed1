/// What an integration tells the agent about an incoming request, before its body is read.
public struct HTTPRequestInfo: Sendable {
    public var method: String
    /// The request target as received: path and query, still percent-encoded.
    public var uri: String
    /// Header fields in order (repeated names appear repeatedly). Names may keep their case as received or be
    /// lower-cased (RampartHummingbird passes HTTPTypes' lower-cased names): everything reading them ignores case.
    public var headers: [(name: String, value: String)]
    /// The TCP peer's address (nil when the framework does not know it, e.g. in-memory tests).
    public var peerAddress: String?
    /// The matched route pattern (`/users/:id`), nil when no route matched.
    public var route: String?
    /// Route parameters by name.
    public var pathParameters: [(name: String, value: String)]

    public init(
        method: String, uri: String, headers: [(name: String, value: String)], peerAddress: String?,
        route: String? = nil, pathParameters: [(name: String, value: String)] = []
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.peerAddress = peerAddress
        self.route = route
        self.pathParameters = pathParameters
    }

    /// The path part of `uri`.
    public var path: Substring {
        uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }

    /// The raw query string (without `?`), empty when there is none.
    public var rawQuery: Substring {
        // Byte-level (`?` and `#` are ASCII): Character-based searching is needlessly slow on every request.
        let utf8 = uri.utf8
        guard let mark = utf8.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        let afterMark = utf8[utf8.index(after: mark)...]
        let end = afterMark.firstIndex(of: UInt8(ascii: "#")) ?? afterMark.endIndex
        return Substring(afterMark[afterMark.startIndex..<end])
    }

    /// All values of a header, compared case-insensitively.
    public func values(of name: String) -> [String] {
        headers.compactMap { $0.name.caseInsensitiveEquals(name) ? $0.value : nil }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        for (a, b) in zip(utf8, other.utf8) where a != b {
            let lowerA = (a >= 0x41 && a <= 0x5A) ? a | 0x20 : a
            let lowerB = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
