/// `greater_than`: a numeric input is strictly above `value` (of `type` signed, unsigned or float).
enum GreaterThanOperator: OperatorFactory {
    static let name = "greater_than"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let bound = try NumericComparisonMatcher.bound(request.parameters, operatorName: name)
        return .scalar(NumericComparisonMatcher(operatorName: name, direction: .greater, bound: bound))
    }
}
