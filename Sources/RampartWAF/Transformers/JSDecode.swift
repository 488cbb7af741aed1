/// `jsDecode`: JavaScript string escapes — `\xHH`, `\uHHHH` (surrogate pairs joined, UTF-8 out) and the
/// single-letter escapes; any other escaped byte stands for itself. Invalid `\x` / `\u` escapes vanish.
enum JSDecode {
    private static let backslash: UInt8 = 0x5C

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        guard var read = input.firstIndex(of: backslash) else { return nil }
        var out = [UInt8](copyingPrefix: read, of: input, capacity: count)

        func hex4(_ at: Int) -> UInt32? {
            guard at + 3 < count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = input[at + offset]
                guard ASCIIByte.isHexDigit(byte) else { return nil }
                value = value << 4 | ASCIIByte.hexValue(byte)
            }
            return value
        }

        while read < count {
            if input[read] != backslash {
                out.append(input[read])
                read += 1
                continue
            }
            read += 1
            if read == count {
                out.append(backslash)  // a trailing backslash stays
                continue
            }
            let control = input[read]
            read += 1
            switch control {
            case 0x78:  // x
                if read + 1 < count, ASCIIByte.isHexDigit(input[read]), ASCIIByte.isHexDigit(input[read + 1]) {
                    out.append(UInt8(truncatingIfNeeded: ASCIIByte.hexValue(input[read]) << 4
                        | ASCIIByte.hexValue(input[read + 1])))
                    read += 2
                }
            case 0x75:  // u
                guard let word = hex4(read) else { break }
                read += 4
                if word < 0xD800 || word > 0xDBFF {
                    UTF8Output.appendEncoded(word, to: &out)
                } else if read + 5 < count, input[read] == backslash, input[read + 1] == 0x75,
                    let low = hex4(read + 2)
                {
                    // A high surrogate followed by another \u escape: joined when that is a low surrogate,
                    // otherwise the high half is dropped and the next escape decoded on its own.
                    if (0xDC00...0xDFFF).contains(low) {
                        UTF8Output.appendEncoded(0x10000 + ((word - 0xD800) << 10) + (low - 0xDC00), to: &out)
                        read += 6
                    }
                } else {
                    UTF8Output.appendChecked(word, room: read - out.count, to: &out)
                }
            case 0x61: out.append(0x07)  // \a
            case 0x62: out.append(0x08)  // \b
            case 0x66: out.append(0x0C)  // \f
            case 0x6E: out.append(0x0A)  // \n
            case 0x72: out.append(0x0D)  // \r
            case 0x74: out.append(0x09)  // \t
            case 0x76: out.append(0x0B)  // \v
            default: out.append(control)
            }
        }
        return out
    }
}
