/// `is_sqli`: the value reads as SQL injection on its own (libinjection-style fingerprinting, by
/// `SQLiStringDetector`). The highlight is the token fingerprint, as libddwaf reports.
enum IsSQLiOperator: OperatorFactory {
    static let name = "is_sqli"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .scalar(SQLiMatcher())
    }
}

struct SQLiMatcher: ScalarMatcher {
    var operatorName: String { "is_sqli" }
    var operatorValue: String { "" }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        SQLiStringDetector.detect(bytes)?.fingerprint
    }
}
