/// `shell_unescape` (`cmdLine`), ModSecurity's command-line normalisation: drops `\` `"` `'` `^`, drops whitespace
/// before `/` and `(`, turns `,` and `;` into spaces, squeezes whitespace runs to one space and lowercases ASCII.
enum ShellUnescape {
    @inline(__always) private static func isRemoved(_ c: UInt8) -> Bool {
        c == 0x5C || c == 0x22 || c == 0x27 || c == 0x5E
    }

    @inline(__always) private static func isSeparator(_ c: UInt8) -> Bool {
        ASCIIByte.isSpace(c) || c == 0x2C || c == 0x3B
    }

    /// A separator is dropped when the next byte is a separator too, or `(` or `/`.
    @inline(__always) private static func absorbsSeparator(_ next: UInt8) -> Bool {
        isSeparator(next) || next == 0x28 || next == 0x2F
    }

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        var read = 0
        var required = false
        while read < count {
            let c = input[read]
            if read + 1 < count, c == 0x2C || c == 0x3B || (ASCIIByte.isSpace(c) && absorbsSeparator(input[read + 1])) {
                required = true
                break
            }
            if isRemoved(c) || ASCIIByte.isUpper(c) {
                required = true
                break
            }
            read += 1
        }
        guard required else { return nil }
        var out = [UInt8](copyingPrefix: read, of: input, capacity: count)
        while read < count {
            let c = input[read]
            if isRemoved(c) {
            } else if isSeparator(c) {
                if !(read + 1 < count && absorbsSeparator(input[read + 1])) { out.append(0x20) }
            } else {
                out.append(ASCIIByte.lowercased(c))
            }
            read += 1
        }
        return out
    }
}
