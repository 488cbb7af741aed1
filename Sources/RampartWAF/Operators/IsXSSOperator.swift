/// `is_xss`: the value carries markup or script that would run in an HTML page (`XSSStringDetector`).
enum IsXSSOperator: OperatorFactory {
    static let name = "is_xss"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .scalar(XSSMatcher())
    }
}

struct XSSMatcher: ScalarMatcher {
    var operatorName: String { "is_xss" }
    var operatorValue: String { "" }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        XSSStringDetector.detect(bytes) == nil ? nil : ""
    }
}
