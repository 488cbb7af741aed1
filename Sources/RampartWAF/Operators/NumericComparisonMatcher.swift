/// The matcher behind `greater_than` and `lower_than`: a numeric input compared with the rule's `value`, across
/// signed, unsigned and floating-point types (strings are not inspected, as in libddwaf).
struct NumericComparisonMatcher: ScalarMatcher {
    enum Direction: Sendable {
        case greater, lower
    }

    let operatorName: String
    let direction: Direction
    let bound: WAFValue

    var operatorValue: String { bound.scalarText }
    var inspectsStrings: Bool { false }

    func inspects(_ scalar: WAFValue) -> Bool {
        switch scalar {
        case .signed, .unsigned, .float: true
        default: false
        }
    }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? { nil }

    func match(scalar: WAFValue) -> String? {
        guard let order = Self.compare(scalar, bound) else { return nil }
        let matched = direction == .greater ? order > 0 : order < 0
        return matched ? scalar.scalarText : nil
    }

    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`; nil for non-numbers or NaN.
    static func compare(_ lhs: WAFValue, _ rhs: WAFValue) -> Int? {
        switch (lhs, rhs) {
        case (.signed(let a), .signed(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.unsigned(let a), .unsigned(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.signed(let a), .unsigned(let b)): return a < 0 ? -1 : compare(.unsigned(UInt64(a)), .unsigned(b))
        case (.unsigned(let a), .signed(let b)): return b < 0 ? 1 : compare(.unsigned(a), .unsigned(UInt64(b)))
        default:
            guard let a = lhs.numericValue, let b = rhs.numericValue, !a.isNaN, !b.isNaN else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }

    /// Reads `type` (`signed`, `unsigned`, `float`) and `value` from an operator's parameters.
    static func bound(_ parameters: ConfigObject, operatorName: String) throws(RulesetError) -> WAFValue {
        guard let value = parameters["value"] else { throw .missing("value") }
        let type = try parameters.optionalString("type") ?? value.typeName
        switch (type, value) {
        case ("signed", .signed), ("unsigned", .unsigned), ("float", .float): return value
        case ("signed", .unsigned(let number)):
            guard let signed = Int64(exactly: number) else { break }
            return .signed(signed)
        case ("unsigned", .signed(let number)):
            guard let unsigned = UInt64(exactly: number) else { break }
            return .unsigned(unsigned)
        case ("float", .signed(let number)): return .float(Double(number))
        case ("float", .unsigned(let number)): return .float(Double(number))
        default: break
        }
        throw RulesetError("invalid type '\(type)' or value for operator '\(operatorName)'")
    }
}

extension WAFValue {
    fileprivate var numericValue: Double? {
        switch self {
        case .signed(let number): Double(number)
        case .unsigned(let number): Double(number)
        case .float(let number): number
        default: nil
        }
    }
}
