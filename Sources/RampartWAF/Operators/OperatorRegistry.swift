/// Operator names → builders. Adding an operator means adding its file and one line here.
///
/// libddwaf operators may carry a version suffix (`sqli_detector@v2`); a rule asking for a version newer than the
/// one implemented is skipped with a diagnostic rather than evaluated with different semantics.
enum OperatorRegistry {
    /// Every operator this build understands.
    static let factories: [any OperatorFactory.Type] = [
        ExistsOperator.self,
        EqualsOperator.self,
        GreaterThanOperator.self,
        LowerThanOperator.self,
        ExactMatchOperator.self,
        MatchRegexOperator.self,
        PhraseMatchOperator.self,
        IPMatchOperator.self,
        IsSQLiOperator.self,
        IsXSSOperator.self,
        SQLiDetectorOperator.self,
        ShellInjectionOperator.self,
        CommandInjectionOperator.self,
        PathTraversalOperator.self,
        SSRFOperator.self,
    ]

    static let byName: [String: any OperatorFactory.Type] = {
        var table: [String: any OperatorFactory.Type] = [:]
        for factory in factories { table[factory.name] = factory }
        return table
    }()

    /// Splits `name@vN` into the operator and its requested version (1 when absent).
    static func parse(_ fullName: String) -> (name: String, version: Int, negated: Bool)? {
        var name = Substring(fullName)
        var negated = false
        if name.hasPrefix("!") {
            negated = true
            name = name.dropFirst()
        }
        var version = 1
        if let at = name.firstIndex(of: "@") {
            let suffix = name[name.index(after: at)...]
            guard suffix.hasPrefix("v"), let number = Int(suffix.dropFirst()), number >= 1 else { return nil }
            version = number
            name = name[..<at]
        }
        return (String(name), version, negated)
    }
}

/// How an operator reads its `parameters` into a condition.
protocol OperatorFactory {
    /// libddwaf's operator name without version or negation.
    static var name: String { get }
    /// Newest operator version implemented.
    static var latestVersion: Int { get }
    /// Whether `!name` is accepted.
    static var supportsNegation: Bool { get }
    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind
}

extension OperatorFactory {
    static var latestVersion: Int { 1 }
    static var supportsNegation: Bool { false }
}
