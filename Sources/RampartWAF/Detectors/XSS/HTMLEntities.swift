/// Decodes the HTML character references browsers resolve inside attribute values before using them
/// (`&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, …); enough to see through obfuscated `javascript:` URLs.
enum HTMLEntities {
    private static let named: [String: UInt8] = [
        "colon": UInt8(ascii: ":"), "tab": 0x09, "newline": 0x0A, "lpar": UInt8(ascii: "("),
        "rpar": UInt8(ascii: ")"), "quot": UInt8(ascii: "\""), "apos": UInt8(ascii: "'"), "amp": UInt8(ascii: "&"),
        "lt": UInt8(ascii: "<"), "gt": UInt8(ascii: ">"), "sol": UInt8(ascii: "/"), "period": UInt8(ascii: "."),
        "semi": UInt8(ascii: ";"), "equals": UInt8(ascii: "="), "num": UInt8(ascii: "#"),
        "bsol": UInt8(ascii: "\\"), "excl": UInt8(ascii: "!"), "comma": UInt8(ascii: ","),
    ]

    /// The decoded bytes of `bytes[range]`, at most `limit` of them. Non-ASCII numeric references become `?`
    /// (only ASCII matters to the checks).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Int = Int.max) -> [UInt8] {
        let range = range.clamped(to: 0..<bytes.count)
        var output: [UInt8] = []
        output.reserveCapacity(min(range.count, limit))
        var index = range.lowerBound
        while index < range.upperBound, output.count < limit {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index &+= 1
                continue
            }
            if let (decoded, next) = reference(bytes, at: index, end: range.upperBound) {
                output.append(decoded)
                index = next
            } else {
                output.append(byte)
                index &+= 1
            }
        }
        return output
    }

    /// The character reference starting at the `&` at `start`: its byte and the index after it.
    private static func reference(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> (UInt8, Int)? {
        var index = start &+ 1
        guard index < end else { return nil }
        if bytes[index] == UInt8(ascii: "#") {
            index &+= 1
            var hex = false
            if index < end, bytes[index] | 0x20 == UInt8(ascii: "x") { hex = true; index &+= 1 }
            var value: UInt32 = 0
            let digitsStart = index
            while index < end {
                let byte = bytes[index]
                let digit: UInt32
                if SQLBytes.isDigit(byte) {
                    digit = UInt32(byte &- 0x30)
                } else if hex, SQLBytes.isHexDigit(byte) {
                    digit = UInt32((byte | 0x20) &- UInt8(ascii: "a") &+ 10)
                } else {
                    break
                }
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
                index &+= 1
            }
            guard index > digitsStart else { return nil }
            if index < end, bytes[index] == UInt8(ascii: ";") { index &+= 1 }
            return (value < 0x80 ? UInt8(value) : UInt8(ascii: "?"), index)
        }
        let nameStart = index
        while index < end, index &- nameStart < 10, SQLBytes.isLetter(bytes[index]) { index &+= 1 }
        guard index > nameStart, index < end, bytes[index] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: bytes[nameStart..<index].lazy.map { $0 | 0x20 }, as: UTF8.self)
        guard let decoded = named[name] else { return nil }
        return (decoded, index &+ 1)
    }
}
