/// `lfi_detector` (up to `@v2`): a request parameter makes the file path about to be opened (`resource`) escape
/// where the application meant it to point.
enum PathTraversalOperator: OperatorFactory {
    static let name = "lfi_detector"
    static let latestVersion = 2

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .structured(
            RASPDetectorCondition(operatorName: name) { resource, parameters in
                guard let path = DetectorArguments.resourceText(resource) else { return nil }
                return PathTraversalDetector.detect(path: path, parameters: parameters)
            })
    }
}
