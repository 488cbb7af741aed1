/// `urlDecode` and `urlDecodeUni` (libddwaf's `url_decode_iis`): `%XX` escapes and `+` as space. The IIS flavour
/// also decodes `%uXXXX` to UTF-8 and repeats the whole decoding until a pass finds nothing left to decode, so
/// double encodings (`%2541`) and decoded plus signs (`%2B`) are resolved too.
enum URLDecode {
    private static let percent: UInt8 = 0x25, plus: UInt8 = 0x2B

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        decodeOnce(input, iis: false)
    }

    static func applyIIS(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard var current = decodeOnce(input, iis: true) else { return nil }
        while let next = current.withUnsafeBufferPointer({ decodeOnce($0, iis: true) }) {
            current = next
        }
        return current
    }

    @inline(__always) private static func isHexEscape(_ input: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        at + 2 < input.count && input[at] == percent
            && ASCIIByte.isHexDigit(input[at + 1]) && ASCIIByte.isHexDigit(input[at + 2])
    }

    @inline(__always) private static func isUnicodeEscape(_ input: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        at + 5 < input.count && input[at] == percent && input[at + 1] | 0x20 == 0x75
            && ASCIIByte.isHexDigit(input[at + 2]) && ASCIIByte.isHexDigit(input[at + 3])
            && ASCIIByte.isHexDigit(input[at + 4]) && ASCIIByte.isHexDigit(input[at + 5])
    }

    /// One pass of libddwaf's `url_decode_common`; nil when the value holds no `+` and no valid escape.
    private static func decodeOnce(_ input: UnsafeBufferPointer<UInt8>, iis: Bool) -> [UInt8]? {
        var read = 0
        while read < input.count, input[read] != plus {
            if isHexEscape(input, read) || (iis && isUnicodeEscape(input, read)) { break }
            read += 1
        }
        guard read < input.count else { return nil }
        var out = [UInt8](copyingPrefix: read, of: input, capacity: input.count)
        while read < input.count {
            let byte = input[read]
            if byte == plus {
                out.append(0x20)
                read += 1
            } else if isHexEscape(input, read) {
                out.append(UInt8(truncatingIfNeeded: ASCIIByte.hexValue(input[read + 1]) << 4
                    | ASCIIByte.hexValue(input[read + 2])))
                read += 3
            } else if iis, isUnicodeEscape(input, read) {
                var codepoint: UInt32 = 0
                for offset in 2...5 { codepoint = codepoint << 4 | ASCIIByte.hexValue(input[read + offset]) }
                read += 6
                if codepoint <= 0x7F {
                    out.append(UInt8(truncatingIfNeeded: codepoint))
                } else {
                    UTF8Output.appendChecked(codepoint, room: read - out.count, to: &out)
                }
            } else {
                out.append(byte)
                read += 1
            }
        }
        return out
    }
}
