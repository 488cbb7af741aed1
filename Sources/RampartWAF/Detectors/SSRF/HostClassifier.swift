/// Where a URL's host points, as far as its text tells: an IP literal in any form a URL parser accepts, or a
/// name reserved for local or cloud-internal use.
enum HostClassifier {
    /// Why a host is internal: loopback, private, link-local, cloud metadata, ...
    struct Internal: Equatable {
        var category: String
        /// The address or name as understood (e.g. `127.0.0.1` for `0x7f000001`).
        var canonical: String
    }

    /// Classifies a normalised host (percent-decoded, lowercased, without trailing dot; IPv6 with brackets).
    static func classify(_ host: [UInt8]) -> Internal? {
        guard !host.isEmpty else { return nil }
        if host.first == UInt8(ascii: "[") {
            guard host.last == UInt8(ascii: "]"), host.count >= 2 else { return nil }
            var inner = Array(host[1..<(host.count &- 1)])
            if let zone = inner.firstIndex(of: UInt8(ascii: "%")) { inner.removeSubrange(zone...) }
            guard let pieces = parseIPv6(inner) else { return nil }
            return classifyIPv6(pieces)
        }
        if let address = parseIPv4(host) { return classifyIPv4(address) }
        return classifyName(host)
    }

    // MARK: IPv4

    /// WHATWG IPv4 parsing: 1–4 dot-separated numbers, each decimal, `0x` hex or `0`-prefixed octal; the last
    /// fills the remaining bytes (`127.1`, `2130706433`, `0x7f.1`, `0177.0.0.01`).
    static func parseIPv4(_ host: [UInt8]) -> UInt32? {
        var parts: [UInt64] = []
        parts.reserveCapacity(4)
        var start = 0
        var i = 0
        while i <= host.count {
            if i == host.count || host[i] == UInt8(ascii: ".") {
                if i == start {
                    // Only a single trailing empty part is allowed ("127.0.0.1.").
                    if i == host.count && !parts.isEmpty { break }
                    return nil
                }
                guard parts.count < 4, let value = parseIPv4Number(host[start..<i]) else { return nil }
                parts.append(value)
                start = i &+ 1
            }
            i &+= 1
        }
        guard let last = parts.last else { return nil }
        for part in parts.dropLast() where part > 255 { return nil }
        let remainingBits = UInt64(8 * (5 - parts.count))
        guard remainingBits >= 64 || last < (UInt64(1) << remainingBits) else { return nil }
        var address: UInt64 = last
        for (index, part) in parts.dropLast().enumerated() {
            address |= part << UInt64(8 * (3 - index))
        }
        return UInt32(truncatingIfNeeded: address)
    }

    private static func parseIPv4Number(_ text: ArraySlice<UInt8>) -> UInt64? {
        var digits = text
        var radix: UInt64 = 10
        if digits.count >= 2, digits.first == UInt8(ascii: "0"),
           digits[digits.startIndex &+ 1] | 0x20 == UInt8(ascii: "x") {
            digits = digits.dropFirst(2)
            radix = 16
            if digits.isEmpty { return 0 }
        } else if digits.count >= 2, digits.first == UInt8(ascii: "0") {
            digits = digits.dropFirst()
            radix = 8
        }
        var value: UInt64 = 0
        for c in digits {
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c &- UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c &- UInt8(ascii: "a") &+ 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(c &- UInt8(ascii: "A") &+ 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            value = value &* radix &+ digit
            // Anything above 2^32 is invalid anyway; stop before overflow.
            if value > 0xFFFF_FFFF { return value }
        }
        return value
    }

    static func formatIPv4(_ address: UInt32) -> String {
        "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF)"
    }

    static func classifyIPv4(_ address: UInt32) -> Internal? {
        let text = formatIPv4(address)
        func inNetwork(_ network: UInt32, _ prefix: UInt32) -> Bool {
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 &- prefix)
            return address & mask == network & mask
        }
        let category: String
        switch address {
        case 0xA9FE_A9FE, 0xA9FE_AA02, 0x6464_64C8, 0xC000_00C0:
            // 169.254.169.254 (AWS, GCP, Azure, ...), 169.254.170.2 (ECS), 100.100.100.200 (Alibaba),
            // 192.0.0.192 (Oracle Cloud).
            category = "cloud metadata service"
        case _ where inNetwork(0x7F00_0000, 8): category = "loopback"
        case _ where inNetwork(0x0000_0000, 8): category = "\"this host\" (0.0.0.0/8 reaches local services)"
        case _ where inNetwork(0x0A00_0000, 8), _ where inNetwork(0xAC10_0000, 12), _ where inNetwork(0xC0A8_0000, 16):
            category = "private network"
        case _ where inNetwork(0xA9FE_0000, 16): category = "link-local"
        case _ where inNetwork(0x6440_0000, 10): category = "carrier-grade NAT (shared address space)"
        case _ where inNetwork(0xC000_0000, 24): category = "IETF protocol assignments"
        case _ where inNetwork(0xC612_0000, 15): category = "benchmarking network"
        case _ where inNetwork(0xE000_0000, 4): category = "multicast"
        case _ where inNetwork(0xF000_0000, 4): category = "reserved (240.0.0.0/4, broadcast)"
        default: return nil
        }
        return Internal(category: category, canonical: text)
    }

    // MARK: IPv6

    /// RFC 4291 text form, with `::` and a trailing dotted IPv4; 8 16-bit pieces.
    static func parseIPv6(_ text: [UInt8]) -> [UInt16]? {
        var pieces = [UInt16](repeating: 0, count: 8)
        var pieceIndex = 0
        var compress: Int?
        var i = 0
        let n = text.count
        guard n >= 2 else { return nil }
        if text[0] == UInt8(ascii: ":") {
            guard text[1] == UInt8(ascii: ":") else { return nil }
            i = 2
            pieceIndex = 1
            compress = 1
        }
        while i < n {
            guard pieceIndex < 8 else { return nil }
            if text[i] == UInt8(ascii: ":") {
                guard compress == nil else { return nil }
                i &+= 1
                pieceIndex &+= 1
                compress = pieceIndex
                continue
            }
            var value: UInt32 = 0
            var length = 0
            while length < 4, i < n, let digit = hexValue(text[i]) {
                value = value &* 16 &+ UInt32(digit)
                i &+= 1
                length &+= 1
            }
            if i < n && text[i] == UInt8(ascii: ".") {
                // Embedded IPv4 in the last 32 bits.
                guard length > 0, pieceIndex <= 6 else { return nil }
                guard let v4 = parseStrictDottedIPv4(Array(text[(i &- length)..<n])) else { return nil }
                pieces[pieceIndex] = UInt16(truncatingIfNeeded: v4 >> 16)
                pieces[pieceIndex &+ 1] = UInt16(truncatingIfNeeded: v4)
                pieceIndex &+= 2
                i = n
                break
            }
            guard length > 0 else { return nil }
            pieces[pieceIndex] = UInt16(truncatingIfNeeded: value)
            pieceIndex &+= 1
            if i < n {
                guard text[i] == UInt8(ascii: ":") else { return nil }
                i &+= 1
                guard i < n else { return nil }
            }
        }
        if let compress {
            var swaps = pieceIndex &- compress
            pieceIndex = 7
            while pieceIndex != 0 && swaps > 0 {
                let from = compress &+ swaps &- 1
                pieces.swapAt(pieceIndex, from)
                pieceIndex &-= 1
                swaps &-= 1
            }
        } else if pieceIndex != 8 {
            return nil
        }
        return pieces
    }

    private static func parseStrictDottedIPv4(_ text: [UInt8]) -> UInt32? {
        var address: UInt32 = 0
        var parts = 0
        var value: UInt32 = 0
        var digits = 0
        for c in text + [UInt8(ascii: ".")] {
            if c == UInt8(ascii: ".") {
                guard digits > 0, value <= 255, parts < 4 else { return nil }
                address = address << 8 | value
                parts &+= 1
                value = 0
                digits = 0
            } else if isDigit(c), digits < 3 {
                value = value &* 10 &+ UInt32(c &- UInt8(ascii: "0"))
                digits &+= 1
            } else {
                return nil
            }
        }
        return parts == 4 ? address : nil
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// RFC 5952 text: lowercase hex, the longest run of two or more zero pieces as `::`, in brackets.
    static func formatIPv6(_ pieces: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for index in 0...pieces.count {
            if index < pieces.count && pieces[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index &- runStart > bestLength {
                    bestStart = runStart
                    bestLength = index &- runStart
                }
                runStart = -1
            }
        }
        guard bestStart >= 0 else { return "[" + pieces.map { String($0, radix: 16) }.joined(separator: ":") + "]" }
        let head = pieces[..<bestStart].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = pieces[(bestStart &+ bestLength)...].map { String($0, radix: 16) }.joined(separator: ":")
        return "[" + head + "::" + tail + "]"
    }

    static func classifyIPv6(_ p: [UInt16]) -> Internal? {
        guard p.count == 8 else { return nil }
        let text = formatIPv6(p)
        let embeddedIPv4 = UInt32(p[6]) << 16 | UInt32(p[7])
        let firstFiveZero = p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0 && p[4] == 0
        if firstFiveZero && p[5] == 0 && p[6] == 0 && p[7] <= 1 {
            return Internal(category: p[7] == 1 ? "loopback" : "unspecified address (reaches local services)", canonical: text)
        }
        if firstFiveZero && (p[5] == 0xFFFF || p[5] == 0) {
            // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms.
            if var inner = classifyIPv4(embeddedIPv4) {
                inner.category += " (IPv4 embedded in IPv6)"
                return inner
            }
            return nil
        }
        if p[0] == 0x64 && p[1] == 0xFF9B && p[2] == 0 && p[3] == 0 && p[4] == 0 && p[5] == 0 {
            if var inner = classifyIPv4(embeddedIPv4) {
                inner.category += " (via NAT64 64:ff9b::/96)"
                return inner
            }
            return nil
        }
        if p[0] == 0x2002 {
            if var inner = classifyIPv4(UInt32(p[1]) << 16 | UInt32(p[2])) {
                inner.category += " (via 6to4 2002::/16)"
                return inner
            }
            return nil
        }
        if p[0] == 0xFD00 && p[1] == 0x0EC2 && p[2] == 0 && p[3] == 0 && p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] == 0x254 {
            return Internal(category: "cloud metadata service", canonical: text)
        }
        if p[0] & 0xFFC0 == 0xFE80 { return Internal(category: "link-local", canonical: text) }
        if p[0] & 0xFFC0 == 0xFEC0 { return Internal(category: "site-local", canonical: text) }
        if p[0] & 0xFE00 == 0xFC00 { return Internal(category: "unique local (private network)", canonical: text) }
        if p[0] & 0xFF00 == 0xFF00 { return Internal(category: "multicast", canonical: text) }
        return nil
    }

    // MARK: Names

    static let metadataNames: Set<String> = [
        "metadata.google.internal", "metadata", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.internal", "metadata.tencentyun.com",
    ]
    static let internalSuffixes: [String] = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet"]
    /// Public DNS names that resolve to loopback, used to slip `localhost` past name checks.
    static let loopbackNames: Set<String> = ["localhost", "localtest.me", "lvh.me", "vcap.me", "lacolhost.com"]
    static let loopbackSuffixes: [String] = [".localtest.me", ".lvh.me", ".vcap.me"]
    /// Wildcard DNS services that resolve `a.b.c.d.nip.io` / `a-b-c-d.sslip.io` to the embedded address.
    static let embeddedAddressSuffixes: [String] = [".nip.io", ".sslip.io", ".xip.io", ".traefik.me"]

    static func classifyName(_ host: [UInt8]) -> Internal? {
        let name = String(decoding: host, as: UTF8.self)
        if metadataNames.contains(name) { return Internal(category: "cloud metadata service", canonical: name) }
        if loopbackNames.contains(name) || loopbackSuffixes.contains(where: { name.hasSuffix($0) }) {
            return Internal(category: "loopback name", canonical: name)
        }
        for suffix in embeddedAddressSuffixes where name.hasSuffix(suffix) {
            let labels = name.dropLast(suffix.count).split(separator: ".")
            // Either the last four labels are the address, or one label holds it with dashes.
            let dotted = labels.suffix(4).joined(separator: ".")
            let dashed = labels.last.map { $0.replacingDashes() } ?? ""
            for candidate in [dotted, dashed] {
                if let address = parseStrictDottedIPv4(Array(candidate.utf8)), var inner = classifyIPv4(address) {
                    inner.category += " (through the wildcard DNS name \(name))"
                    return inner
                }
            }
            return nil
        }
        if internalSuffixes.contains(where: { name.hasSuffix($0) }) {
            return Internal(category: "name reserved for internal networks", canonical: name)
        }
        if !host.contains(UInt8(ascii: ".")) {
            return Internal(category: "single-label name (resolved through the local search domain)", canonical: name)
        }
        return nil
    }
}

extension Substring {
    fileprivate func replacingDashes() -> String {
        String(map { $0 == "-" ? "." : $0 })
    }
}
