/// `equals`: a scalar equals `value` of the declared `type` (`string`, `boolean`, `signed`, `unsigned`,
/// `float` with optional `delta`).
enum EqualsOperator: OperatorFactory {
    static let name = "equals"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let parameters = request.parameters
        guard let expected = parameters["value"] else { throw .missing("value") }
        let type = try parameters.optionalString("type") ?? expected.typeName
        let target: EqualsMatcher.Target
        switch (type, expected) {
        case ("string", .string(let text)): target = .string(Array(text.utf8))
        case ("boolean", .bool(let flag)), ("bool", .bool(let flag)): target = .bool(flag)
        case ("signed", .signed(let number)): target = .signed(number)
        case ("signed", .unsigned(let number)):
            guard let signed = Int64(exactly: number) else { throw RulesetError("value out of range for 'signed'") }
            target = .signed(signed)
        case ("unsigned", .unsigned(let number)): target = .unsigned(number)
        case ("unsigned", .signed(let number)):
            guard let unsigned = UInt64(exactly: number) else { throw RulesetError("value out of range for 'unsigned'") }
            target = .unsigned(unsigned)
        case ("float", .float(let number)):
            let delta: Double
            switch parameters["delta"] {
            case .float(let value)?: delta = value
            case .signed(let value)?: delta = Double(value)
            default: delta = 0.01
            }
            target = .float(number, delta: delta)
        case ("float", .signed(let number)): target = .float(Double(number), delta: 0.01)
        default:
            throw RulesetError("invalid type '\(type)' or value for operator 'equals'")
        }
        let matcher = EqualsMatcher(target: target)
        return request.negated ? .negatedScalar(matcher) : .scalar(matcher)
    }
}

struct EqualsMatcher: ScalarMatcher {
    enum Target: Sendable {
        case string([UInt8])
        case bool(Bool)
        case signed(Int64)
        case unsigned(UInt64)
        case float(Double, delta: Double)
    }

    let target: Target

    var operatorName: String { "equals" }

    var operatorValue: String {
        switch target {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .bool(let flag): flag ? "true" : "false"
        case .signed(let number): String(number)
        case .unsigned(let number): String(number)
        case .float(let number, _): String(number)
        }
    }

    var inspectsStrings: Bool {
        if case .string = target { return true }
        return false
    }

    func inspects(_ scalar: WAFValue) -> Bool {
        switch (target, scalar) {
        case (.bool, .bool), (.signed, .signed), (.signed, .unsigned), (.unsigned, .unsigned), (.unsigned, .signed),
            (.float, .float):
            true
        default: false
        }
    }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard case .string(let expected) = target, bytes.elementsEqual(expected) else { return nil }
        return String(highlight: bytes)
    }

    func match(scalar: WAFValue) -> String? {
        let equal: Bool
        switch (target, scalar) {
        case (.bool(let expected), .bool(let actual)): equal = expected == actual
        case (.signed(let expected), .signed(let actual)): equal = expected == actual
        case (.signed(let expected), .unsigned(let actual)): equal = expected >= 0 && UInt64(expected) == actual
        case (.unsigned(let expected), .unsigned(let actual)): equal = expected == actual
        case (.unsigned(let expected), .signed(let actual)): equal = actual >= 0 && UInt64(actual) == expected
        case (.float(let expected, let delta), .float(let actual)): equal = abs(expected - actual) < delta
        default: equal = false
        }
        return equal ? scalar.scalarText : nil
    }
}
