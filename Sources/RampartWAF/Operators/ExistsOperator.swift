/// `exists`: an input (address plus optional key path) is present. `!exists`: the single input is absent.
enum ExistsOperator: OperatorFactory {
    static let name = "exists"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .exists(negated: request.negated)
    }
}
