/// An address with a prefix length: `10.0.0.0/8`, `2001:db8::/32`, or a single address (full length).
/// IPv4 networks are stored over the IPv4-mapped range (prefix + 96), as libddwaf's `parse_cidr` does.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address (host bits cleared).
    public let address: IPAddress
    /// Prefix length over 128 bits.
    public let prefixLength: Int

    public init(address: IPAddress, prefixLength: Int) {
        let length = min(max(prefixLength, 0), 128)
        let (maskHigh, maskLow) = Self.mask(length)
        self.address = IPAddress(high: address.high & maskHigh, low: address.low & maskLow)
        self.prefixLength = length
    }

    /// Parses `address` or `address/length` (libddwaf's `parse_cidr`: the length has 1–4 characters, is read like
    /// C's `stoi` — leading spaces and a sign allowed, trailing characters ignored — and is at most 32 for IPv4,
    /// 128 for IPv6). A negative length is rejected (libddwaf would wrap it around).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let slash = bytes.firstIndex(of: 0x2F) else {
            guard let address = bytes.withUnsafeBufferPointer({ IPAddress.parse($0) }) else { return nil }
            self.init(address: address, prefixLength: 128)
            return
        }
        guard slash <= 40 else { return nil }
        let lengthText = bytes[(slash + 1)...]
        guard (1...4).contains(lengthText.count), let length = Self.parseLength(lengthText) else { return nil }
        let parsed: (IPAddress, isV4: Bool)? = bytes.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[..<slash])
            if let v4 = IPAddress.parseIPv4(text) { return (IPAddress(ipv4: v4), true) }
            return IPAddress.parseIPv6(text).map { ($0, false) }
        }
        guard let (address, isV4) = parsed, length <= (isV4 ? 32 : 128) else { return nil }
        self.init(address: address, prefixLength: isV4 ? length + 96 : length)
    }

    public func contains(_ address: IPAddress) -> Bool {
        let (maskHigh, maskLow) = Self.mask(prefixLength)
        return address.high & maskHigh == self.address.high && address.low & maskLow == self.address.low
    }

    /// The last address of the network.
    public var lastAddress: IPAddress {
        let (maskHigh, maskLow) = Self.mask(prefixLength)
        return IPAddress(high: address.high | ~maskHigh, low: address.low | ~maskLow)
    }

    public var description: String {
        if address.isIPv4, prefixLength >= 96 {
            return prefixLength == 128 ? address.description : "\(address)/\(prefixLength - 96)"
        }
        return prefixLength == 128 ? address.description : "\(address)/\(prefixLength)"
    }

    static func mask(_ length: Int) -> (UInt64, UInt64) {
        switch length {
        case ...0: return (0, 0)
        case 1..<64: return (~UInt64(0) << (64 - UInt64(length)), 0)
        case 64: return (~UInt64(0), 0)
        case 65..<128: return (~UInt64(0), ~UInt64(0) << (128 - UInt64(length)))
        default: return (~UInt64(0), ~UInt64(0))
        }
    }

    /// `stoi` on the prefix text: optional leading whitespace, optional sign, at least one digit; the rest ignored.
    private static func parseLength(_ text: ArraySlice<UInt8>) -> Int? {
        var index = text.startIndex
        while index < text.endIndex, ASCIIByte.isSpace(text[index]) { index += 1 }
        var negative = false
        if index < text.endIndex, text[index] == 0x2B || text[index] == 0x2D {
            negative = text[index] == 0x2D
            index += 1
        }
        var value = 0
        var digits = 0
        while index < text.endIndex, ASCIIByte.isDigit(text[index]) {
            value = value * 10 + Int(text[index] - 0x30)
            digits += 1
            index += 1
        }
        guard digits > 0, !negative || value == 0 else { return nil }
        return value
    }
}

/// An entry of an IP list that is neither an address nor a network.
public struct IPSetError: Error, Sendable, Hashable, CustomStringConvertible {
    public let entry: String
    public let index: Int
    public var description: String { "invalid IP address or network at index \(index): \"\(entry)\"" }
}

/// A set of addresses and networks (`ip_match` lists and `rules_data` IP lists), looked up in O(log n): the
/// networks are merged into sorted, disjoint ranges and searched by binary search.
public struct IPSet: Sendable {
    /// Disjoint ranges sorted by start; `ends[i]` is inclusive.
    private let starts: [IPAddress]
    private let ends: [IPAddress]

    /// Number of disjoint address ranges after merging.
    public var rangeCount: Int { starts.count }
    public var isEmpty: Bool { starts.isEmpty }

    public init(_ entries: [String]) throws(IPSetError) {
        var networks: [IPNetwork] = []
        networks.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard let network = IPNetwork(entry) else { throw IPSetError(entry: entry, index: index) }
            networks.append(network)
        }
        self.init(networks: networks)
    }

    /// Builds the set from the valid entries and returns the ones that are not addresses or networks (libddwaf
    /// skips those silently).
    public static func skippingInvalid(_ entries: [String]) -> (IPSet, invalid: [String]) {
        var networks: [IPNetwork] = []
        var invalid: [String] = []
        for entry in entries {
            if let network = IPNetwork(entry) { networks.append(network) } else { invalid.append(entry) }
        }
        return (IPSet(networks: networks), invalid)
    }

    public init(networks: [IPNetwork]) {
        let sorted = networks.map { ($0.address, $0.lastAddress) }.sorted { $0.0 < $1.0 }
        var starts: [IPAddress] = []
        var ends: [IPAddress] = []
        for (start, end) in sorted {
            if let last = ends.last, !(last < start) || Self.isSuccessor(start, of: last) {
                if last < end { ends[ends.count - 1] = end }
            } else {
                starts.append(start)
                ends.append(end)
            }
        }
        self.starts = starts
        self.ends = ends
    }

    public func contains(_ address: IPAddress) -> Bool {
        // Last range starting at or before the address.
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= address { low = middle + 1 } else { high = middle }
        }
        return low > 0 && address <= ends[low - 1]
    }

    /// False for text that is not an address.
    public func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return contains(address)
    }

    /// False for bytes that are not an address's text.
    public func contains(utf8 text: UnsafeRawBufferPointer) -> Bool {
        guard let address = IPAddress(utf8: text) else { return false }
        return contains(address)
    }

    private static func isSuccessor(_ next: IPAddress, of previous: IPAddress) -> Bool {
        let (low, carry) = previous.low.addingReportingOverflow(1)
        return next.low == low && next.high == previous.high &+ (carry ? 1 : 0)
    }
}
