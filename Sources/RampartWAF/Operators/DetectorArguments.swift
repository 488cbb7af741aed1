/// Shared plumbing of the RASP detector operators (`sqli_detector`, `lfi_detector`, ...): their `resource` /
/// `params` arguments and how a finding becomes an event's rule match.
enum DetectorArguments {
    /// Every string leaf under the `params` argument, as the detectors' user parameters.
    static func userParameters(_ argument: ArgumentValue?, limits: WAFLimits) -> [UserParameter] {
        guard let argument else { return [] }
        var parameters: [UserParameter] = []
        ValueWalker(limits: limits).walk(argument.value, keyPath: [], source: .values) { item, path in
            if case .scalar(.string(let text)) = item, !text.isEmpty {
                parameters.append(UserParameter(value: text, address: argument.address, keyPath: argument.keyPath + path))
            }
            return true
        }
        return parameters
    }

    /// The `resource` argument as text: a string, or (for command arrays) its string elements joined by spaces.
    static func resourceText(_ argument: ArgumentValue?) -> String? {
        switch argument?.value {
        case .string(let text)?: text
        default: nil
        }
    }

    /// The `resource` argument as a list of strings (`cmdi_detector` receives argv arrays).
    static func resourceArguments(_ argument: ArgumentValue?) -> [String]? {
        switch argument?.value {
        case .array(let elements)?: elements.compactMap(\.stringValue)
        case .string(let text)?: [text]
        default: nil
        }
    }

    static func ruleMatch(_ finding: InjectionFinding, operatorName: String, resource: ArgumentValue?) -> RuleMatch {
        var parameters = [
            MatchParameter(
                address: finding.parameter.address, keyPath: finding.parameter.keyPath, value: finding.parameter.value,
                highlight: [finding.parameter.value], name: "params")
        ]
        if let resource {
            parameters.append(
                MatchParameter(
                    address: resource.address, keyPath: resource.keyPath, value: finding.operation,
                    highlight: [finding.reason], name: "resource"))
        }
        return RuleMatch(operator: operatorName, operatorValue: "", parameters: parameters)
    }
}
