/// ASCII classes as libddwaf defines them (locale-independent C semantics) and its UTF-8 writing rules.
enum ASCIIByte {
    @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    /// C `isspace`: space, \t, \n, \v, \f, \r.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c &- 0x09 < 5 }
    @inline(__always) static func lowercased(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
    /// Value of a hex digit (callers check `isHexDigit` first).
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32 {
        isDigit(c) ? UInt32(c &- 0x30) : UInt32((c | 0x20) &- 0x61) &+ 10
    }
}

/// UTF-8 output the way libddwaf writes it.
enum UTF8Output {
    /// Plain UTF-8 encoding of any value up to U+10FFFF, surrogates included (libddwaf's `codepoint_to_bytes`);
    /// nothing for larger values.
    static func appendEncoded(_ codepoint: UInt32, to out: inout [UInt8]) {
        switch codepoint {
        case 0..<0x80:
            out.append(UInt8(truncatingIfNeeded: codepoint))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(truncatingIfNeeded: codepoint >> 6))
            out.append(0x80 | UInt8(truncatingIfNeeded: codepoint & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(truncatingIfNeeded: codepoint >> 12))
            out.append(0x80 | UInt8(truncatingIfNeeded: (codepoint >> 6) & 0x3F))
            out.append(0x80 | UInt8(truncatingIfNeeded: codepoint & 0x3F))
        case 0x10000...0x10FFFF:
            out.append(0xF0 | UInt8(truncatingIfNeeded: (codepoint >> 18) & 0x07))
            out.append(0x80 | UInt8(truncatingIfNeeded: (codepoint >> 12) & 0x3F))
            out.append(0x80 | UInt8(truncatingIfNeeded: (codepoint >> 6) & 0x3F))
            out.append(0x80 | UInt8(truncatingIfNeeded: codepoint & 0x3F))
        default:
            break
        }
    }

    /// libddwaf's `write_codepoint`: NUL, surrogates and values past U+10FFFF become U+FFFD, but only when more than
    /// two bytes separate the read head from the write head (`room`) — libddwaf decodes in place and will not grow
    /// the string; otherwise they vanish.
    static func appendChecked(_ codepoint: UInt32, room: Int, to out: inout [UInt8]) {
        if codepoint == 0 || (0xD800...0xDFFF).contains(codepoint) || codepoint > 0x10FFFF {
            if room > 2 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
            return
        }
        appendEncoded(codepoint, to: &out)
    }
}

extension Array where Element == UInt8 {
    /// An output buffer holding `input[..<prefixLength]`, with room for the whole input.
    @inline(__always) init(copyingPrefix prefixLength: Int, of input: UnsafeBufferPointer<UInt8>, capacity: Int) {
        self.init()
        reserveCapacity(Swift.max(capacity, prefixLength))
        append(contentsOf: UnsafeBufferPointer(rebasing: input[0..<Swift.min(prefixLength, input.count)]))
    }
}
