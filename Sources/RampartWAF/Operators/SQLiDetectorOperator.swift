/// `sqli_detector` (up to `@v2`): a request parameter changes the structure of the SQL statement about to run
/// (`resource`), in the dialect named by `db_type`.
enum SQLiDetectorOperator: OperatorFactory {
    static let name = "sqli_detector"
    static let latestVersion = 2

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        .structured(SQLiDetectorCondition())
    }
}

struct SQLiDetectorCondition: StructuredOperator {
    var operatorName: String { "sqli_detector" }
    var argumentNames: [(name: String, required: Bool)] {
        [("resource", true), ("params", true), ("db_type", true)]
    }

    func evaluate(_ arguments: [String: ArgumentValue], limits: WAFLimits) -> RuleMatch? {
        guard let statement = DetectorArguments.resourceText(arguments["resource"]),
            let dbType = arguments["db_type"]?.value.stringValue
        else { return nil }
        let parameters = DetectorArguments.userParameters(arguments["params"], limits: limits)
        guard
            let finding = SQLInjectionDetector.detect(
                statement: statement, dialect: SQLDialect(dbType: dbType), parameters: parameters)
        else { return nil }
        return DetectorArguments.ruleMatch(finding, operatorName: operatorName, resource: arguments["resource"])
    }
}
