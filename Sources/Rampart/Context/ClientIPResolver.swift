import RampartWAF

/// Finds the real client address of a request without letting the client choose it.
///
/// Forwarding headers are written by whoever sent them, so they are believed only hop by hop from the server's
/// side: starting from the TCP peer, each address that is a configured trusted proxy hands over to the address it
/// reported (the last entry of the chain it appended to). The first address that is not a trusted proxy is the
/// client. With no trusted proxies configured, or when the peer itself is not one, the headers are ignored and the
/// peer is the client. Headers are read in order of preference `Forwarded` (RFC 7239), `X-Forwarded-For`,
/// `X-Real-IP`; only the first one present is used, so a client cannot add a second header a proxy does not
/// rewrite. Entries that are not IP addresses (`unknown`, obfuscated names, junk) end the walk: the last trusted hop
/// is then the best known client.
public struct ClientIPResolver: Sendable {
    public let trustedProxies: IPSet
    public let hasTrustedProxies: Bool
    /// Configured entries that are not addresses or CIDR ranges (logged by the agent, ignored here).
    public let invalidEntries: [String]

    public init(trustedProxies entries: [String]) {
        let (set, invalid) = IPSet.skippingInvalid(entries)
        trustedProxies = set
        invalidEntries = invalid
        hasTrustedProxies = entries.count > invalid.count
    }

    /// `peer` is the TCP peer's address text (nil when unknown, as with in-memory test clients); `header` returns
    /// all values of a header, case-insensitively.
    public func resolve(peer: String?, header: (String) -> [String]) -> String? {
        // The usual case: no proxy to believe and a peer already in canonical form (what the socket layer prints),
        // answered without parsing it or building a new string.
        if !hasTrustedProxies, let peer, Self.isCanonicalIPv4(peer) { return peer }
        let peerAddress = peer.flatMap { Self.parseAddress(Substring($0)) }
        guard hasTrustedProxies else { return peerAddress.map(Self.canonical) ?? peer }
        if let peerAddress, !trustedProxies.contains(peerAddress) { return Self.canonical(peerAddress) }

        let chain: [Substring]
        if case let forwarded = header("forwarded"), !forwarded.isEmpty {
            chain = forwarded.flatMap { Self.forwardedFor($0) }
        } else if case let forwardedFor = header("x-forwarded-for"), !forwardedFor.isEmpty {
            chain = forwardedFor.flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() } }
        } else if let realIP = header("x-real-ip").last {
            chain = [realIP.trimmingSpaces()]
        } else {
            chain = []
        }

        var lastTrusted = peerAddress
        for entry in chain.reversed() {
            guard let address = Self.parseAddress(entry) else { break }
            if !trustedProxies.contains(address) { return Self.canonical(address) }
            lastTrusted = address
        }
        return lastTrusted.map(Self.canonical) ?? peer
    }

    /// The `for=` values of a `Forwarded` header value, in order.
    static func forwardedFor(_ value: String) -> [Substring] {
        var result: [Substring] = []
        for element in value.split(separator: ",") {
            for pair in element.split(separator: ";") {
                let trimmed = pair.trimmingSpaces()
                guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "for=" else { continue }
                var node = trimmed.dropFirst(4)
                if node.first == "\"", node.last == "\"", node.count >= 2 { node = node.dropFirst().dropLast() }
                result.append(node)
            }
        }
        return result
    }

    /// An address from `1.2.3.4`, `1.2.3.4:8080`, `[2001:db8::1]:443`, `2001:db8::1`; nil for anything else.
    static func parseAddress(_ text: Substring) -> IPAddress? {
        var candidate = text.trimmingSpaces()
        if candidate.first == "[" {
            guard let close = candidate.firstIndex(of: "]") else { return nil }
            candidate = candidate[candidate.index(after: candidate.startIndex)..<close]
        } else if let colon = candidate.firstIndex(of: ":"), candidate.lastIndex(of: ":") == colon {
            candidate = candidate[..<colon]  // IPv4 with a port
        }
        guard !candidate.isEmpty, candidate.utf8.count <= 64 else { return nil }
        return candidate.withUTF8 { IPAddress(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Dotted-quad IPv4 exactly as `IPAddress.description` writes it: four decimal octets of at most 255, no
    /// leading zeros, nothing else.
    static func isCanonicalIPv4(_ text: String) -> Bool {
        var octets = 0
        var digits = 0
        var value = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return false }
                octets &+= 1
                digits = 0
                value = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), !leadingZero || digits == 0 else {
                return false
            }
            if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
            digits &+= 1
            value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            guard digits <= 3, value <= 255 else { return false }
        }
        return octets == 3 && digits > 0
    }

    static func canonical(_ address: IPAddress) -> String { address.description }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return Substring(slice)
    }
}
