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
        // Byte-level: `;`, `=` and the optional whitespace around them are ASCII, and splitting by Character
        // (grapheme breaking) costs more than the rest of the request's inspection.
        let utf8 = header.utf8
        var partStart = utf8.startIndex
        while partStart <= utf8.endIndex {
            let partEnd = utf8[partStart...].firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
            let part = utf8[partStart..<partEnd]
            if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                let name = trimmedASCII(part[..<equals])
                let value = trimmedASCII(part[utf8.index(after: equals)...])
                builder.append(key: String(Substring(name)), value: percentDecoded(Substring(value), plusIsSpace: false))
            }
            guard partEnd < utf8.endIndex else { break }
            partStart = utf8.index(after: partEnd)
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
        let utf8 = text.utf8
        var partStart = utf8.startIndex
        while partStart < utf8.endIndex {
            let partEnd = utf8[partStart...].firstIndex(of: UInt8(ascii: "&")) ?? utf8.endIndex
            let part = utf8[partStart..<partEnd]
            if !part.isEmpty {
                let key: Substring.UTF8View
                let value: Substring.UTF8View
                if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                    key = Substring(part[..<equals]).utf8
                    value = Substring(part[utf8.index(after: equals)...]).utf8
                } else {
                    key = Substring(part).utf8
                    value = Substring("").utf8
                }
                builder.append(
                    key: percentDecoded(Substring(key), plusIsSpace: plusIsSpace),
                    value: percentDecoded(Substring(value), plusIsSpace: plusIsSpace))
            }
            guard partEnd < utf8.endIndex else { break }
            partStart = utf8.index(after: partEnd)
        }
        return builder.value
    }

    /// Decodes `%XX` escapes (malformed ones are kept as text); invalid UTF-8 becomes U+FFFD.
    public static func percentDecoded(_ text: Substring, plusIsSpace: Bool) -> String {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                if first != utf8.endIndex {
                    let second = utf8.index(after: first)
                    if second != utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second]) {
                        bytes.append(high << 4 | low)
                        index = utf8.index(after: second)
                        continue
                    }
                }
                bytes.append(byte)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    private static func trimmedASCII(_ text: Substring.UTF8View) -> Substring.UTF8View {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start] == 0x20 || text[start] == 0x09 { start = text.index(after: start) }
        while end > start {
            let last = text.index(before: end)
            guard text[last] == 0x20 || text[last] == 0x09 else { break }
            end = last
        }
        return text[start..<end]
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
