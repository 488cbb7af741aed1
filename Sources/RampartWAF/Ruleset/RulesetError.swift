/// Ruleset/: reading libddwaf JSON rulesets (2.x) into compiled rules, with diagnostics naming every rule or
/// entry that could not be used and why.

/// Why one rule, exclusion, action or data entry could not be loaded. The message is grouped in diagnostics.
struct RulesetError: Error, Sendable, Hashable {
    let message: String
    /// Unsupported-but-valid content (unknown operator version, processor kinds): reported as skipped, not failed.
    let isSkip: Bool

    init(_ message: String, skip: Bool = false) {
        self.message = message
        self.isSkip = skip
    }

    static func missing(_ key: String) -> RulesetError { RulesetError("missing key '\(key)'") }

    static func invalidType(_ key: String, expected: String, got value: WAFValue) -> RulesetError {
        RulesetError("invalid type '\(value.typeName)' for key '\(key)', expected '\(expected)'")
    }
}

extension WAFValue {
    var typeName: String {
        switch self {
        case .string: "string"
        case .signed: "signed"
        case .unsigned: "unsigned"
        case .float: "float"
        case .bool: "bool"
        case .null: "null"
        case .array: "array"
        case .map: "map"
        }
    }
}

/// Typed access to a JSON object of the ruleset, producing libddwaf-style messages on mismatch.
struct ConfigObject {
    let entries: [WAFValue.Entry]

    init(_ value: WAFValue, name: String) throws(RulesetError) {
        guard case .map(let entries) = value else { throw .invalidType(name, expected: "map", got: value) }
        self.entries = entries
    }

    subscript(key: String) -> WAFValue? {
        entries.first(where: { $0.key == key })?.value
    }

    func string(_ key: String) throws(RulesetError) -> String {
        guard let value = self[key] else { throw .missing(key) }
        guard case .string(let text) = value else { throw .invalidType(key, expected: "string", got: value) }
        return text
    }

    func optionalString(_ key: String) throws(RulesetError) -> String? {
        guard let value = self[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw .invalidType(key, expected: "string", got: value) }
        return text
    }

    func array(_ key: String) throws(RulesetError) -> [WAFValue] {
        guard let value = self[key] else { throw .missing(key) }
        guard case .array(let elements) = value else { throw .invalidType(key, expected: "array", got: value) }
        return elements
    }

    func optionalArray(_ key: String) throws(RulesetError) -> [WAFValue]? {
        guard let value = self[key], value != .null else { return nil }
        guard case .array(let elements) = value else { throw .invalidType(key, expected: "array", got: value) }
        return elements
    }

    func stringArray(_ key: String) throws(RulesetError) -> [String]? {
        guard let elements = try optionalArray(key) else { return nil }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw .invalidType(key, expected: "string array", got: element) }
            strings.append(text)
        }
        return strings
    }

    func object(_ key: String) throws(RulesetError) -> ConfigObject? {
        guard let value = self[key], value != .null else { return nil }
        return try ConfigObject(value, name: key)
    }

    func bool(_ key: String) throws(RulesetError) -> Bool? {
        guard let value = self[key], value != .null else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        default: throw .invalidType(key, expected: "bool", got: value)
        }
    }

    func integer(_ key: String) throws(RulesetError) -> Int? {
        guard let value = self[key], value != .null else { return nil }
        switch value {
        case .signed(let number): return Int(exactly: number)
        case .unsigned(let number): return Int(exactly: number)
        case .float(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .string(let text):
            if let number = Int(text) { return number }
            throw .invalidType(key, expected: "integer", got: value)
        default: throw .invalidType(key, expected: "integer", got: value)
        }
    }

    func stringMap(_ key: String) throws(RulesetError) -> [String: String]? {
        guard let object = try object(key) else { return nil }
        var map: [String: String] = [:]
        for entry in object.entries {
            switch entry.value {
            case .string(let text): map[entry.key] = text
            case .signed, .unsigned, .float, .bool: map[entry.key] = entry.value.scalarText
            default: throw .invalidType("\(key).\(entry.key)", expected: "string", got: entry.value)
            }
        }
        return map
    }
}
