/// `htmlEntityDecode`: numeric references (`&#65;`, `&#x41;`, the `;` optional, any number of digits) and the
/// named references `&lt;` `&gt;` `&amp;` `&quot;` `&nbsp;` (case-insensitive, `;` required). `&nbsp;` becomes the
/// single byte 0xA0, as in libddwaf. A result as long as the input counts as unchanged there, so it does here.
enum HTMLEntityDecode {
    private static let ampersand: UInt8 = 0x26, hash: UInt8 = 0x23, semicolon: UInt8 = 0x3B

    private static let namedReferences: [(name: [UInt8], byte: UInt8)] = [
        (Array("lt;".utf8), 0x3C), (Array("gt;".utf8), 0x3E), (Array("amp;".utf8), 0x26),
        (Array("quot;".utf8), 0x22), (Array("nbsp;".utf8), 0xA0),
    ]

    static func apply(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        guard count >= 3, var read = input.firstIndex(of: ampersand) else { return nil }
        var out = [UInt8](copyingPrefix: read, of: input, capacity: count)
        while read < count {
            if input[read] != ampersand || read == count - 1 {
                out.append(input[read])
                read += 1
                continue
            }
            read += 1  // past `&`
            if input[read] == hash {
                read += 1  // past `#`
                var codepoint: UInt32 = 0
                if read < count - 1, input[read] | 0x20 == 0x78, ASCIIByte.isHexDigit(input[read + 1]) {
                    read += 1  // past `x`
                    while read < count, ASCIIByte.isHexDigit(input[read]) {
                        codepoint = codepoint << 4 | ASCIIByte.hexValue(input[read])
                        read += 1
                        if codepoint > 0x10FFFF {
                            while read < count, ASCIIByte.isHexDigit(input[read]) { read += 1 }
                        }
                    }
                } else if read < count, ASCIIByte.isDigit(input[read]) {
                    while read < count, ASCIIByte.isDigit(input[read]) {
                        codepoint = codepoint &* 10 &+ UInt32(input[read] &- 0x30)
                        read += 1
                        if codepoint > 0x10FFFF {
                            while read < count, ASCIIByte.isDigit(input[read]) { read += 1 }
                        }
                    }
                } else {
                    out.append(ampersand)
                    out.append(hash)
                    continue
                }
                UTF8Output.appendChecked(codepoint, room: read - out.count, to: &out)
                if read < count, input[read] == semicolon { read += 1 }
            } else if ASCIIByte.isAlnum(input[read]), let (length, byte) = namedReference(input, at: read) {
                out.append(byte)
                read += length
            } else {
                out.append(ampersand)
            }
        }
        return out.count == count ? nil : out
    }

    /// libddwaf compares `byte | 0x20` with the lowercase name, so e.g. ESC (0x1B) passes for `;`.
    private static func namedReference(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, UInt8)? {
        for reference in namedReferences where input.count - start >= reference.name.count {
            var matched = true
            for (offset, expected) in reference.name.enumerated() where input[start + offset] | 0x20 != expected {
                matched = false
                break
            }
            if matched { return (reference.name.count, reference.byte) }
        }
        return nil
    }
}
