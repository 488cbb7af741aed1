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
        var match = DetectorArguments.ruleMatch(finding, operatorName: operatorName, resource: arguments["resource"])
        // As libddwaf, the event shows the statement with its literals replaced by `?` (no user data leaks).
        for index in match.parameters.indices where match.parameters[index].name == "resource" {
            match.parameters[index].value = Self.strippingLiterals(statement, dialect: SQLDialect(dbType: dbType))
        }
        if let dbTypeArgument = arguments["db_type"] {
            match.parameters.append(
                MatchParameter(
                    address: dbTypeArgument.address, keyPath: dbTypeArgument.keyPath, value: dbType, highlight: [],
                    name: "db_type"))
        }
        return match
    }

    /// The statement with every string and number literal replaced by `?`.
    static func strippingLiterals(_ statement: String, dialect: SQLDialect) -> String {
        let bytes = Array(statement.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for token in SQLTokenizer.tokenize(bytes, dialect: dialect)
        where token.kind == .string || token.kind == .number {
            guard token.start >= position, token.end <= bytes.count, token.start <= token.end else { continue }
            output += bytes[position..<token.start]
            output.append(UInt8(ascii: "?"))
            position = token.end
        }
        if position < bytes.count { output += bytes[position...] }
        return String(decoding: output, as: UTF8.self)
    }
}
