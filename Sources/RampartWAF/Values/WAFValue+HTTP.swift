/// Converters from raw HTTP pieces to the address values libddwaf rulesets expect.

extension WAFValue {
    /// `a=1&b=2&a=3` → `{"a": ["1", "3"], "b": ["2"]}`: keys and values percent-decoded (`+` is a space), pairs
    /// without `=` kept with an empty value, keys in first-seen order.
    public static func query(_ rawQuery: String) -> WAFValue {
        pairs(rawQuery, plusIsSpace: true)
    }

    /// An `application/x-www-form-urlencoded` body, read like a query string.
    public static func form(_ body: String) -> WAFValue {
        pairs(body, plusIsSpace: true)
    }

    /// A `Cookie` header: `a=1; b=x%20y` → `{"a": ["1"], "b": ["x y"]}` (values percent-decoded, parts without `=`
    /// ignored).
    public static func cookies(_ header: String) -> WAFValue {
        var builder = MultiMapBuilder()
        appendCookies(header, to: &builder)
        return builder.value
    }

    /// Several `Cookie` fields (HTTP/2 and HTTPTypes split the header into one field per cookie) read as one
    /// header, without joining them into a new string first.
    public static func cookies(headers: [String]) -> WAFValue {
        var builder = MultiMapBuilder(capacity: headers.count)
        for header in headers { appendCookies(header, to: &builder) }
        return builder.value
    }

    private static func appendCookies(_ header: String, to builder: inout MultiMapBuilder) {
        // Byte-level over the contiguous UTF-8: `;`, `=` and the optional whitespace around them are ASCII.
        // Splitting by Character (grapheme breaking), or even walking String.UTF8View indices, costs more than
        // the rest of the request's inspection.
        var header = header
        header.withUTF8 { bytes in
            var partStart = 0
            while partStart <= bytes.count {
                let partEnd = firstIndex(of: UInt8(ascii: ";"), in: bytes, from: partStart, to: bytes.count)
                let equals = firstIndex(of: UInt8(ascii: "="), in: bytes, from: partStart, to: partEnd)
                if equals < partEnd {
                    let name = trimmedASCII(bytes, partStart..<equals)
                    let value = trimmedASCII(bytes, (equals &+ 1)..<partEnd)
                    builder.append(
                        key: String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self),
                        value: percentDecoded(UnsafeBufferPointer(rebasing: bytes[value]), plusIsSpace: false))
                }
                partStart = partEnd &+ 1
            }
        }
    }

    /// Request headers → `{lower-cased name: [values...]}` without `cookie` (read it with `cookies(_:)`).
    public static func headers(_ pairs: [(String, String)]) -> WAFValue {
        var cookieValues: [String] = []
        return headers(fields: pairs.map { (name: $0.0, value: $0.1) }, cookies: &cookieValues)
    }

    /// Request headers → `{lower-cased name: [values...]}` without `cookie`, whose values (in order) are
    /// appended to `cookies` instead, so one pass over the fields serves both addresses.
    public static func headers(fields: [(name: String, value: String)], cookies: inout [String]) -> WAFValue {
        var builder = MultiMapBuilder(capacity: fields.count)
        for (name, value) in fields {
            let lowered = name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
                ? name.lowercased() : name
            if lowered == "cookie" {
                cookies.append(value)
                continue
            }
            builder.append(key: lowered, value: value)
        }
        return builder.value
    }

    private static func pairs(_ text: String, plusIsSpace: Bool) -> WAFValue {
        var builder = MultiMapBuilder()
        var text = text
        text.withUTF8 { bytes in
            var partStart = 0
            while partStart < bytes.count {
                let partEnd = firstIndex(of: UInt8(ascii: "&"), in: bytes, from: partStart, to: bytes.count)
                if partEnd > partStart {
                    let equals = firstIndex(of: UInt8(ascii: "="), in: bytes, from: partStart, to: partEnd)
                    let key = UnsafeBufferPointer(rebasing: bytes[partStart..<equals])
                    let value = equals < partEnd
                        ? UnsafeBufferPointer(rebasing: bytes[(equals &+ 1)..<partEnd])
                        : UnsafeBufferPointer(rebasing: bytes[partEnd..<partEnd])
                    builder.append(
                        key: percentDecoded(key, plusIsSpace: plusIsSpace),
                        value: percentDecoded(value, plusIsSpace: plusIsSpace))
                }
                partStart = partEnd &+ 1
            }
        }
        return builder.value
    }

    /// Decodes `%XX` escapes (malformed ones are kept as text); invalid UTF-8 becomes U+FFFD.
    public static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String {
        var text = text
        return text.withUTF8 { percentDecoded($0, plusIsSpace: plusIsSpace) }
    }

    /// `percentDecoded` over UTF-8 bytes.
    static func percentDecoded(_ utf8: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> String {
        let count = utf8.count
        var needsDecoding = false
        for byte in utf8 where byte == UInt8(ascii: "%") || (plusIsSpace && byte == UInt8(ascii: "+")) {
            needsDecoding = true
            break
        }
        guard needsDecoding else { return String(decoding: utf8, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var index = 0
        while index < count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index &+ 2 < count, let high = hexValue(utf8[index &+ 1]),
                let low = hexValue(utf8[index &+ 2])
            {
                bytes.append(high << 4 | low)
                index &+= 3
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") && plusIsSpace ? 0x20 : byte)
            index &+= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The index of the first `byte` in `bytes[from..<to]`, or `to`.
    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var index = from
        while index < to, bytes[index] != byte { index &+= 1 }
        return index
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `range` without leading and trailing spaces and tabs (HTTP's optional whitespace).
    private static func trimmedASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start &+= 1 }
        while end > start, bytes[end &- 1] == 0x20 || bytes[end &- 1] == 0x09 { end &-= 1 }
        return start..<end
    }
}

/// Collects repeated keys into `{key: [values...]}` keeping first-seen key order. Requests carry few keys, so
/// a linear search beats hashing until there are many.
private struct MultiMapBuilder {
    private var entries: [(key: String, values: [WAFValue])] = []
    private var index: [String: Int]?

    init(capacity: Int = 0) {
        entries.reserveCapacity(capacity)
    }

    mutating func append(key: String, value: String) {
        let position: Int?
        if let index {
            position = index[key]
        } else {
            position = entries.firstIndex(where: { $0.key == key })
        }
        if let position {
            entries[position].values.append(.string(value))
            return
        }
        entries.append((key, [.string(value)]))
        if index != nil {
            index?[key] = entries.count - 1
        } else if entries.count > 16 {
            var built: [String: Int] = [:]
            for (offset, entry) in entries.enumerated() where built[entry.key] == nil { built[entry.key] = offset }
            index = built
        }
    }

    var value: WAFValue {
        .map(entries.map { WAFValue.Entry(key: $0.key, value: .array($0.values)) })
    }
}
