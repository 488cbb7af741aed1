/// `ssrf_detector`: a request parameter controls the scheme, host or a dangerous part of the URL about to be
/// fetched (`resource`). Up to `@v2` Rampart's own detector judges; `@v3` follows the rule's `options` and
/// `policy` (see `SSRFPolicy`).
enum SSRFOperator: OperatorFactory {
    static let name = "ssrf_detector"
    static let latestVersion = 3

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        if request.version >= 3 { return .structured(SSRFPolicyCondition(policy: try policy(request.parameters))) }
        return .structured(
            RASPDetectorCondition(operatorName: name) { resource, parameters in
                guard let url = DetectorArguments.resourceText(resource) else { return nil }
                return SSRFDetector.detect(url: url, parameters: parameters)
            })
    }

    static func policy(_ parameters: ConfigObject) throws(RulesetError) -> SSRFPolicy {
        var policy = SSRFPolicy()
        if case .map? = parameters["options"] {
            let options = try ConfigObject(parameters["options"] ?? .null, name: "options")
            func flag(_ key: String, _ current: Bool) throws(RulesetError) -> Bool {
                switch options[key] {
                case nil: return current
                case .bool(let value)?: return value
                case let other?: throw .invalidType(key, expected: "boolean", got: other)
                }
            }
            policy.authorityInspection = try flag("authority-inspection", policy.authorityInspection)
            policy.pathInspection = try flag("path-inspection", policy.pathInspection)
            policy.queryInspection = try flag("query-inspection", policy.queryInspection)
            policy.forbidFullURLInjection = try flag("forbid-full-url-injection", policy.forbidFullURLInjection)
            policy.enforcePolicyWithoutInjection =
                try flag("enforce-policy-without-injection", policy.enforcePolicyWithoutInjection)
        }
        if case .map? = parameters["policy"] {
            let section = try ConfigObject(parameters["policy"] ?? .null, name: "policy")
            policy.allowedSchemes = try section.stringArray("allowed-schemes").map { Set($0.map { $0.lowercased() }) }
            policy.forbiddenDomains = try section.stringArray("forbidden-domains")
            if let addresses = try section.stringArray("forbidden-ips") {
                policy.forbiddenIPs = IPSet.skippingInvalid(addresses).0
            }
        }
        return policy
    }
}

/// `ssrf_detector@v3` as a structured condition: `params` is optional (a policy may apply without injection).
struct SSRFPolicyCondition: StructuredOperator {
    let policy: SSRFPolicy

    var operatorName: String { "ssrf_detector" }
    var argumentNames: [(name: String, required: Bool)] { [("resource", true), ("params", false)] }

    func evaluate(_ arguments: [String: ArgumentValue], limits: WAFLimits) -> RuleMatch? {
        guard let resource = arguments["resource"], let url = DetectorArguments.resourceText(resource) else {
            return nil
        }
        let parameters = DetectorArguments.userParameters(arguments["params"], limits: limits)
        guard let (_, parameter) = policy.detect(url: url, parameters: parameters) else { return nil }
        var matchParameters = [
            MatchParameter(
                address: resource.address, keyPath: resource.keyPath, value: url, highlight: [url], name: "resource")
        ]
        if let parameter {
            matchParameters.append(
                MatchParameter(
                    address: parameter.address, keyPath: parameter.keyPath, value: parameter.value,
                    highlight: [parameter.value], name: "params"))
        }
        return RuleMatch(operator: operatorName, operatorValue: "", parameters: matchParameters)
    }
}
