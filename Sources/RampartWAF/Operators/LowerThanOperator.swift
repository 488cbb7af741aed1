/// `lower_than`: a numeric input is strictly below `value` (of `type` signed, unsigned or float).
enum LowerThanOperator: OperatorFactory {
    static let name = "lower_than"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let bound = try NumericComparisonMatcher.bound(request.parameters, operatorName: name)
        return .scalar(NumericComparisonMatcher(operatorName: name, direction: .lower, bound: bound))
    }
}
