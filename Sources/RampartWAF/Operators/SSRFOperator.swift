/// `ssrf_detector`: a request parameter controls the scheme, host or a dangerous part of the URL about to be
/// fetched (`resource`). `options` (e.g. `path-inspection`) are accepted.
enum SSRFOperator: OperatorFactory {
    static let name = "ssrf_detector"

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .structured(
            RASPDetectorCondition(operatorName: name) { resource, parameters in
                guard let url = DetectorArguments.resourceText(resource) else { return nil }
                return SSRFDetector.detect(url: url, parameters: parameters)
            })
    }
}
