/// Values/: the request data model the WAF inspects — a JSON-like tree (`WAFValue`), converters from raw HTTP
/// pieces and JSON, and the size limits applied while inspecting it.

/// A piece of request data under a WAF address: a scalar or a container, as libddwaf's `ddwaf_object`.
///
/// Not `indirect`: containers already hold their elements in array storage, so the type is not recursive in
/// layout, and boxing every case cost one extra allocation per value (a request's headers, query and body
/// are hundreds of values).
public enum WAFValue: Sendable, Hashable {
    case string(String)
    case signed(Int64)
    case unsigned(UInt64)
    case float(Double)
    case bool(Bool)
    case null
    case array([WAFValue])
    case map([Entry])

    /// One key/value pair of a map. Maps keep their order and may repeat keys, as request data can.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: WAFValue

        public init(key: String, value: WAFValue) {
            self.key = key
            self.value = value
        }
    }
}

extension WAFValue {
    /// The first value stored under `key` when this is a map.
    public subscript(key: String) -> WAFValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first(where: { $0.key == key })?.value
    }

    /// The element at `index` when this is an array (nil when out of bounds).
    public subscript(index: Int) -> WAFValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var isContainer: Bool {
        switch self {
        case .array, .map: true
        default: false
        }
    }

    /// The text libddwaf reports for a scalar in events (`object_to_string`); empty for containers and null.
    public var scalarText: String {
        switch self {
        case .string(let text): text
        case .signed(let number): String(number)
        case .unsigned(let number): String(number)
        case .float(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .map: ""
        }
    }
}

extension WAFValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .signed(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: WAFValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, WAFValue)...) {
        self = .map(elements.map { Entry(key: $0.0, value: $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }
}
