/// `cssDecode`: CSS escapes — a backslash and up to six hex digits is a code point (one following whitespace byte
/// is swallowed); a backslash before a newline disappears with it; before anything else it just drops.
enum CSSDecode {
    private static let backslash: UInt8 = 0x5C

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        guard var read = input.firstIndex(of: backslash) else { return nil }
        var out = [UInt8](copyingPrefix: read, of: input, capacity: count)
        while read < count {
            if input[read] != backslash {
                out.append(input[read])
                read += 1
                continue
            }
            read += 1
            var digits = 0
            while digits < 6, read + digits < count, ASCIIByte.isHexDigit(input[read + digits]) { digits += 1 }
            if digits != 0 {
                var value: UInt32 = 0
                for _ in 0..<digits {
                    value = value << 4 | ASCIIByte.hexValue(input[read])
                    read += 1
                }
                UTF8Output.appendChecked(value, room: read - out.count, to: &out)
                if read < count, ASCIIByte.isSpace(input[read]) { read += 1 }
            } else if read < count {
                let next = input[read]
                read += 1
                if next != 0x0A { out.append(next) }
            }
        }
        return out
    }
}
