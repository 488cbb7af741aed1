/// `cmdi_detector`: a request parameter smuggles a program or a dangerous option into the argv about to be
/// executed (`resource`: an array of arguments, or a single string).
enum CommandInjectionOperator: OperatorFactory {
    static let name = "cmdi_detector"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .structured(
            RASPDetectorCondition(operatorName: name) { resource, parameters in
                guard let arguments = DetectorArguments.resourceArguments(resource), !arguments.isEmpty else {
                    return nil
                }
                return CommandInjectionDetector.detect(arguments: arguments, parameters: parameters)
            })
    }
}
