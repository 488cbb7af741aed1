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
        for part in header.split(separator: ";", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = trimmed(part[..<equals])
            let value = trimmed(part[part.index(after: equals)...])
            builder.append(key: String(name), value: percentDecoded(value, plusIsSpace: false))
        }
        return builder.value
    }

    /// Request headers → `{lower-cased name: [values...]}` without `cookie` (read it with `cookies(_:)`).
    public static func headers(_ pairs: [(String, String)]) -> WAFValue {
        var builder = MultiMapBuilder()
        for (name, value) in pairs {
            let lowered = name.lowercased()
            if lowered == "cookie" { continue }
            builder.append(key: lowered, value: value)
        }
        return builder.value
    }

    private static func pairs(_ text: String, plusIsSpace: Bool) -> WAFValue {
        var builder = MultiMapBuilder()
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                key = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                key = part
                value = ""
            }
            builder.append(
                key: percentDecoded(key, plusIsSpace: plusIsSpace),
                value: percentDecoded(value, plusIsSpace: plusIsSpace))
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

    private static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}

/// Collects repeated keys into `{key: [values...]}` keeping first-seen key order.
private struct MultiMapBuilder {
    private var keys: [String] = []
    private var values: [String: [WAFValue]] = [:]

    mutating func append(key: String, value: String) {
        if values[key] == nil {
            keys.append(key)
            values[key] = [.string(value)]
        } else {
            values[key, default: []].append(.string(value))
        }
    }

    var value: WAFValue {
        .map(keys.map { WAFValue.Entry(key: $0, value: .array(values[$0] ?? [])) })
    }
}
