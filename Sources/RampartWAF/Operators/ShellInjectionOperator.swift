/// `shi_detector`: a request parameter injects shell syntax into the command line about to run (`resource`:
/// a string, or an argv array joined with spaces).
enum ShellInjectionOperator: OperatorFactory {
    static let name = "shi_detector"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .structured(
            RASPDetectorCondition(operatorName: name) { resource, parameters in
                guard let commandLine = DetectorArguments.resourceArguments(resource)?.joined(separator: " ") else {
                    return nil
                }
                return ShellInjectionDetector.detect(commandLine: commandLine, parameters: parameters)
            })
    }
}

/// A RASP detector read as a structured condition over `resource` and `params`.
struct RASPDetectorCondition: StructuredOperator {
    let operatorName: String
    let detect: @Sendable (ArgumentValue?, [UserParameter]) -> InjectionFinding?

    var argumentNames: [(name: String, required: Bool)] { [("resource", true), ("params", true)] }

    func evaluate(_ arguments: [String: ArgumentValue], limits: WAFLimits) -> RuleMatch? {
        let parameters = DetectorArguments.userParameters(arguments["params"], limits: limits)
        guard !parameters.isEmpty, let finding = detect(arguments["resource"], parameters) else { return nil }
        return DetectorArguments.ruleMatch(finding, operatorName: operatorName, resource: arguments["resource"])
    }
}
