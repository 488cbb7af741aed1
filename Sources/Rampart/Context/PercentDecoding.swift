/// Percent-decoding in plain Swift over UTF-8 bytes: no Foundation on the request path (its decoder bridges
/// through NSString and is not safe to rely on under heavy concurrency on Linux), never fails — invalid escapes
/// are kept as they are and invalid UTF-8 becomes U+FFFD.
public enum PercentDecoding {
    /// Decodes `%XX` escapes; with `plusAsSpace` also `+` (query strings and forms).
    public static func decode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) else { return String(text) }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x25 {
                let first = utf8.index(after: index)
                if first != utf8.endIndex {
                    let second = utf8.index(after: first)
                    if second != utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second]) {
                        output.append(high &<< 4 | low)
                        index = utf8.index(after: second)
                        continue
                    }
                }
                output.append(byte)
            } else if plusAsSpace && byte == 0x2B {
                output.append(0x20)
            } else {
                output.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x41 &+ 10
        case 0x61...0x66: byte &- 0x61 &+ 10
        default: nil
        }
    }
}
