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
                guard var finding = CommandInjectionDetector.detect(arguments: arguments, parameters: parameters)
                else { return nil }
                if case .array? = resource?.value { finding.operation = reportedCommand(arguments) }
                return finding
            })
    }

    /// The argv as libddwaf reports it in events: the program, then each argument in double quotes.
    static func reportedCommand(_ arguments: [String]) -> String {
        guard let program = arguments.first else { return "" }
        return ([program] + arguments.dropFirst().map { "\"\($0)\"" }).joined(separator: " ")
    }
}
