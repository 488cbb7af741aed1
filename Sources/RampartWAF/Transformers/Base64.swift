/// `base64Decode`, `base64url_decode` and `base64Encode`.
///
/// Decoding happens only when the whole value is base64 (its alphabet, then at most the padding its length allows);
/// a final partial group is decoded as far as it goes, dropping trailing zero bytes, the way libddwaf (after
/// ModSecurity's CRS behaviour) does. Encoding follows libddwaf exactly — including its table, which has `-` where
/// standard base64 has `/`.
enum Base64 {
    enum Alphabet {
        case standard, url

        /// Sextet value of a byte, or nil for bytes outside the alphabet (padding included).
        @inline(__always) func value(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x41...0x5A: return UInt32(byte - 0x41)
            case 0x61...0x7A: return UInt32(byte - 0x61) + 26
            case 0x30...0x39: return UInt32(byte - 0x30) + 52
            case 0x2B: return self == .standard ? 62 : nil
            case 0x2F: return self == .standard ? 63 : nil
            case 0x2D: return self == .url ? 62 : nil
            case 0x5F: return self == .url ? 63 : nil
            default: return nil
            }
        }
    }

    private static let padding: UInt8 = 0x3D

    /// libddwaf's `needs_transform`: alphabet bytes, then optional `=` padding running to the end. How much padding
    /// is allowed depends on where it starts (data length mod 4): 4, none, 2 or 1 — measured on libddwaf 2.1.
    private static func isEncoded(_ input: UnsafeBufferPointer<UInt8>, alphabet: Alphabet) -> Bool {
        guard let paddingStart = input.firstIndex(where: { alphabet.value($0) == nil }) else { return true }
        for index in paddingStart..<input.count where input[index] != padding { return false }
        let allowed: Int
        switch paddingStart % 4 {
        case 0: allowed = 4
        case 2: allowed = 2
        case 3: allowed = 1
        default: allowed = 0
        }
        return input.count - paddingStart <= allowed
    }

    static func decode(_ input: UnsafeBufferPointer<UInt8>, alphabet: Alphabet) -> [UInt8]? {
        guard isEncoded(input, alphabet: alphabet) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3 + 3)
        var read = 0
        while read < input.count {
            var quartet: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
            var filled = 0
            while filled < 4, read < input.count {
                if let sextet = alphabet.value(input[read]) {
                    switch filled {
                    case 0: quartet.0 = sextet
                    case 1: quartet.1 = sextet
                    case 2: quartet.2 = sextet
                    default: quartet.3 = sextet
                    }
                    filled += 1
                }
                read += 1
            }
            let value = quartet.0 << 18 | quartet.1 << 12 | quartet.2 << 6 | quartet.3
            let bytes = (UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
                         UInt8(truncatingIfNeeded: value))
            if filled == 4 {
                out.append(bytes.0)
                out.append(bytes.1)
                out.append(bytes.2)
            } else if filled != 0 {
                out.append(bytes.0)
                if filled > 1, bytes.1 != 0 || bytes.2 != 0 { out.append(bytes.1) }
                if filled > 2, bytes.2 != 0 { out.append(bytes.2) }
            }
        }
        return out
    }

    private static let encodingTable: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-".utf8)

    static func encode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        let table = encodingTable
        var read = 0
        while read + 2 < input.count {
            let a = input[read], b = input[read + 1], c = input[read + 2]
            out.append(table[Int(a >> 2)])
            out.append(table[Int((a & 0x3) << 4 | b >> 4)])
            out.append(table[Int((b & 0xF) << 2 | c >> 6)])
            out.append(table[Int(c & 0x3F)])
            read += 3
        }
        if read < input.count {
            let a = input[read]
            out.append(table[Int(a >> 2)])
            if read + 1 < input.count {
                let b = input[read + 1]
                out.append(table[Int((a & 0x3) << 4 | b >> 4)])
                out.append(table[Int((b & 0xF) << 2)])
            } else {
                out.append(table[Int((a & 0x3) << 4)])
                out.append(padding)
            }
            out.append(padding)
        }
        return out
    }
}
