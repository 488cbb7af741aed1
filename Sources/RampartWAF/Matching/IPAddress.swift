/// An IPv4 or IPv6 address as 128 bits. IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`), so `1.2.3.4` and
/// `::ffff:1.2.3.4` are the same value — libddwaf compares them the same way.
///
/// Parsing accepts exactly what libddwaf accepts (it uses `inet_pton`): dotted-quad IPv4 with decimal octets and no
/// leading zeros; IPv6 with 1–4 hex digits per group, at most one `::`, and an optional dotted-quad tail. Zone ids
/// (`fe80::1%eth0`), brackets, ports and surrounding spaces are rejected.
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Bits 127...64 and 63...0.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address (as its IPv4-mapped IPv6 form).
    public init(ipv4 value: UInt32) {
        self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(value))
    }

    public init?(_ text: String) {
        var text = text
        guard let address = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = address
    }

    public init?(_ text: Substring) {
        self.init(String(text))
    }

    /// Parses UTF-8 text in place (no String needed on the request path).
    public init?(utf8 text: UnsafeRawBufferPointer) {
        let bytes = UnsafeBufferPointer(start: text.baseAddress?.assumingMemoryBound(to: UInt8.self), count: text.count)
        guard let address = Self.parse(bytes) else { return nil }
        self = address
    }

    /// True for IPv4 addresses (IPv4-mapped IPv6 included).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// Dotted quad for IPv4, RFC 5952 text (lowercase, longest zero run as `::`) for IPv6.
    public var description: String {
        if isIPv4 {
            let v = UInt32(truncatingIfNeeded: low)
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        }
        let groups = (0..<8).map { index -> UInt16 in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * UInt64(index % 4)))
        }
        // Longest run of zero groups (at least two), first one on ties.
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[0..<bestStart].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }

    // MARK: Parsing

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        guard bytes.count <= 45 else { return nil }  // longest form: ffff:...:ffff:255.255.255.255
        if let v4 = parseIPv4(bytes) { return IPAddress(ipv4: v4) }
        return parseIPv6(bytes)
    }

    /// `inet_pton(AF_INET)`: exactly four decimal octets, each 0–255 without leading zeros.
    static func parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var octets = 0
        for byte in bytes {
            if ASCIIByte.isDigit(byte) {
                if digits > 0, octet == 0 { return nil }  // leading zero
                octet = octet * 10 + UInt32(byte - 0x30)
                guard octet <= 255 else { return nil }
                digits += 1
            } else if byte == 0x2E, digits > 0, octets < 3 {
                value = value << 8 | octet
                octets += 1
                octet = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        return value << 8 | octet
    }

    /// `inet_pton(AF_INET6)`.
    static func parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0  // groups written
        var gapAt = -1  // group index where `::` stands
        var index = 0
        let length = bytes.count
        guard length >= 2 else { return nil }
        if bytes[0] == 0x3A {
            guard bytes[1] == 0x3A else { return nil }  // a lone leading `:`
            index = 1
        }
        var groupStart = index
        var value: UInt32 = 0
        var digits = 0
        while index < length {
            let byte = bytes[index]
            if ASCIIByte.isHexDigit(byte) {
                guard digits < 4 else { return nil }
                value = value << 4 | ASCIIByte.hexValue(byte)
                digits += 1
                index += 1
                continue
            }
            if byte == 0x3A {
                groupStart = index + 1
                if digits == 0 {
                    guard gapAt < 0 else { return nil }  // second `::`
                    gapAt = count
                    index += 1
                    continue
                }
                guard index + 1 < length, count < 8 else { return nil }  // a trailing single `:`
                groups[count] = UInt16(truncatingIfNeeded: value)
                count += 1
                value = 0
                digits = 0
                index += 1
                continue
            }
            if byte == 0x2E, count <= 6 {
                // Dotted IPv4 tail from the start of this group.
                guard let v4 = parseIPv4(UnsafeBufferPointer(rebasing: bytes[groupStart..<length])) else { return nil }
                groups[count] = UInt16(truncatingIfNeeded: v4 >> 16)
                groups[count + 1] = UInt16(truncatingIfNeeded: v4)
                count += 2
                digits = 0
                index = length
                break
            }
            return nil
        }
        if digits > 0 {
            guard count < 8 else { return nil }
            groups[count] = UInt16(truncatingIfNeeded: value)
            count += 1
        }
        if gapAt >= 0 {
            guard count < 8 else { return nil }  // `::` must stand for at least one group
            let moved = count - gapAt
            for offset in 0..<moved { groups[7 - offset] = groups[count - 1 - offset] }
            for fill in gapAt..<(8 - moved) { groups[fill] = 0 }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        return IPAddress(high: high, low: low)
    }
}
