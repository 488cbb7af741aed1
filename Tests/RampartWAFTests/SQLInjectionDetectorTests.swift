import Foundation
import Testing
@testable import RampartWAF

/// `sqli_detector` on statements built the way vulnerable and safe applications build them, in every dialect.
@Suite struct SQLInjectionDetectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var dialect: SQLDialect
        var statement: String
        var parameter: String
        var isAttack: Bool
        var testDescription: String { "\(dialect.rawValue) \(isAttack ? "attack" : "benign"): \(statement)" }
    }

    /// Escapes a value for a quoted literal the way the dialect's client libraries do.
    static func escaped(_ value: String, _ dialect: SQLDialect) -> String {
        dialect == .mysql
            ? value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            : value.replacingOccurrences(of: "'", with: "''")
    }

    static let stringAttacks = [
        "' OR '1'='1", "' OR 1=1 -- ", "admin'-- ", "x' UNION SELECT password FROM users-- ",
        "'; DROP TABLE users; -- ", "' || (SELECT version()) || '", "x' AND SLEEP(5)-- -", "' OR ''='",
        "1' ORDER BY 3-- ", "'; WAITFOR DELAY '0:0:5'-- ", "x' AND extractvalue(1,concat(0x7e,version()))-- ",
        "' OR 1=1 /*", "x'/**/OR/**/'a'='a", "' AND 1=CAST((SELECT current_user) AS int)-- ",
    ]

    static let stringBenign = [
        "O'Brien", "select a plan", "union station", "rock and roll", "1=1 is logic", "--verbose",
        "/* not a comment */ text", "jane.doe@example.com", "{\"a\": [1, 2], \"b\": null}", "**bold** and _it_",
        "a;b;c", "DROP TABLE is SQL", "50% off -- today only!", "' OR '1'='1", "admin'--", "C'est l'été",
        "He said \"hello\"", "#hashtag #swift",
    ]

    static let numberAttacks = [
        "1 OR 1=1", "1; DROP TABLE users", "1 UNION SELECT username FROM users", "(SELECT 1)", "1-- -",
        "-1 OR 2>1", "1 AND SLEEP(5)", "0x31 OR 1", "1/**/OR/**/1",
    ]

    static let numberBenign = ["42", "-5", "3.14", "1e10", "100000", "007"]

    static let identifierAttacks = [
        "name; DROP TABLE logs", "(CASE WHEN 1=1 THEN name ELSE price END)", "1 UNION SELECT 1", "name-- ",
        "name, (SELECT password FROM users)",
    ]

    static let identifierBenign = ["name", "created_at", "users.name", "price", "\"Price\""]

    static let cases: [Case] = {
        var cases: [Case] = []
        for dialect in SQLDialect.allCases {
            for payload in stringAttacks {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM users WHERE name = '\(payload)' AND active = 1",
                                  parameter: payload, isAttack: true))
            }
            for payload in stringBenign {
                cases.append(Case(dialect: dialect,
                                  statement: "SELECT * FROM users WHERE name = '\(escaped(payload, dialect))' AND active = 1",
                                  parameter: payload, isAttack: false))
            }
            for payload in numberAttacks {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM products WHERE id = \(payload) AND visible = 1",
                                  parameter: payload, isAttack: true))
            }
            for payload in numberBenign {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM products WHERE id = \(payload) AND visible = 1",
                                  parameter: payload, isAttack: false))
            }
            for payload in identifierAttacks {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM logs ORDER BY \(payload) DESC",
                                  parameter: payload, isAttack: true))
            }
            for payload in identifierBenign {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM logs ORDER BY \(payload) DESC",
                                  parameter: payload, isAttack: false))
            }
            for direction in ["ASC", "DESC"] {
                cases.append(Case(dialect: dialect, statement: "SELECT * FROM logs ORDER BY name \(direction)",
                                  parameter: direction, isAttack: false))
            }
            cases.append(Case(dialect: dialect, statement: "SELECT * FROM logs ORDER BY name DESC; DROP TABLE logs",
                              parameter: "DESC; DROP TABLE logs", isAttack: true))
            cases.append(Case(dialect: dialect, statement: "SELECT * FROM t WHERE a = 1 OR b = 2",
                              parameter: "OR", isAttack: true))
        }
        return cases
    }()

    @Test(arguments: cases)
    func detects(_ testCase: Case) {
        let parameters = [
            UserParameter(value: "en", address: "server.request.query", keyPath: [.key("lang"), .index(0)]),
            UserParameter(value: testCase.parameter, address: "server.request.body", keyPath: [.key("q")]),
        ]
        let finding = SQLInjectionDetector.detect(statement: testCase.statement, dialect: testCase.dialect,
                                                  parameters: parameters)
        if testCase.isAttack {
            #expect(finding != nil, "missed")
            #expect(finding?.parameter.keyPath == [.key("q")])
            #expect(finding?.detector == "sqli_detector")
            if let finding, let location = finding.location {
                // The location covers the value without its surrounding whitespace.
                let trimmed = testCase.parameter.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(Array(testCase.statement.utf8)[location].elementsEqual(trimmed.utf8))
            }
        } else {
            #expect(finding == nil, "\(finding?.reason ?? "")")
        }
    }

    @Test func tableIsBalancedAndLarge() {
        #expect(Self.cases.count >= 150)
        let attacks = Self.cases.filter(\.isAttack).count
        #expect(attacks * 3 >= Self.cases.count && attacks * 3 <= Self.cases.count * 2)
    }

    @Test func reasonsAreReadable() throws {
        let statement = "SELECT id FROM users WHERE name = 'x' UNION SELECT password FROM users--'"
        let finding = try #require(SQLInjectionDetector.detect(
            statement: statement, dialect: .postgresql,
            parameters: [UserParameter(value: "x' UNION SELECT password FROM users--", address: "server.request.query")]))
        #expect(finding.reason == "parameter closes the string literal it was placed in, spans 7 SQL tokens and adds the keyword UNION, a comment")
        #expect(finding.location == 35..<72)

        let stacked = try #require(SQLInjectionDetector.detect(
            statement: "SELECT * FROM t WHERE id = 1; DROP TABLE t", dialect: .mysql,
            parameters: [UserParameter(value: "1; DROP TABLE t", address: "server.request.query")]))
        #expect(stacked.reason == "parameter spans 5 SQL tokens and adds the keyword DROP, a statement separator")
    }

    @Test func dialectDecidesWhetherABackslashEscapes() {
        let statement = "SELECT * FROM t WHERE name = '\\' OR 1=1-- '"
        let parameters = [UserParameter(value: "\\' OR 1=1-- ", address: "server.request.query")]
        // Standard SQL: the backslash is a plain character, the quote closes the string.
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .postgresql, parameters: parameters) != nil)
        // MySQL: `\'` is an escaped quote; the whole value stays inside the string.
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .mysql, parameters: parameters) == nil)
    }

    @Test func dialectSpecificLiterals() {
        func detect(_ statement: String, _ dialect: SQLDialect, _ value: String) -> InjectionFinding? {
            SQLInjectionDetector.detect(statement: statement, dialect: dialect,
                                        parameters: [UserParameter(value: value, address: "server.request.body")])
        }
        #expect(detect("SELECT $$it's; DROP TABLE x$$", .postgresql, "it's; DROP TABLE x") == nil)
        #expect(detect("SELECT $$x$$; DROP TABLE x; --$$", .postgresql, "x$$; DROP TABLE x; --") != nil)
        #expect(detect("SELECT E'it\\'s OR 1=1'", .postgresql, "it\\'s OR 1=1") == nil)
        #expect(detect("SELECT * FROM t WHERE n = N'x' OR 1=1--'", .sqlserver, "x' OR 1=1--") != nil)
        #expect(detect("SELECT * FROM [x] OR 1=1--]", .sqlserver, "x] OR 1=1--") != nil)
        #expect(detect("SELECT * FROM [Order Details]", .sqlserver, "Order Details") == nil)
        #expect(detect("SELECT q'[it's OR 1=1]' FROM dual", .oracle, "it's OR 1=1") == nil)
        #expect(detect("SELECT q'[x]' OR 1=1--]' FROM dual", .oracle, "x]' OR 1=1--") != nil)
        #expect(detect("UPDATE t SET bio = \"x\" OR \"1\"=\"1\"", .mysql, "x\" OR \"1\"=\"1") != nil)
        #expect(detect("UPDATE t SET bio = \"O'Reilly\"", .mysql, "O'Reilly") == nil)
        #expect(detect("SELECT * FROM `my table` WHERE a = 1", .mysql, "my table") == nil)
        #expect(detect("SELECT * FROM `x` WHERE 1=1 #` WHERE a = 1", .mysql, "x` WHERE 1=1 #") != nil)
    }

    @Test func loneKeywords() {
        func detect(_ statement: String, _ value: String) -> InjectionFinding? {
            SQLInjectionDetector.detect(statement: statement, dialect: .postgresql,
                                        parameters: [UserParameter(value: value, address: "server.request.query")])
        }
        #expect(detect("SELECT * FROM t WHERE a = 1 OR b = 2", "OR")?.reason == "parameter is the SQL keyword OR")
        // The value also sits in a literal: the keyword elsewhere is the application's own.
        #expect(detect("SELECT * FROM t WHERE a = 1 OR b = 'OR'", "OR") == nil)
        #expect(detect("select * from t where action = 'select'", "select") == nil)
        #expect(detect("select * from t where action = 1", "select") == nil)
        #expect(detect("SELECT * FROM t ORDER BY a DESC", "DESC") == nil)
        #expect(detect("SELECT * FROM t WHERE a IS NULL", "NULL") == nil)
        #expect(detect("SELECT * FROM t -- note", "-- note") != nil)
        #expect(detect("SELECT * FROM t WHERE a <= 1", "<=") != nil)
    }

    @Test func trimmedParametersAreFound() throws {
        let finding = try #require(SQLInjectionDetector.detect(
            statement: "SELECT * FROM t WHERE id = 1 OR 1=1", dialect: .mysql,
            parameters: [UserParameter(value: "  1 OR 1=1\n", address: "server.request.body")]))
        #expect(finding.location == 27..<35)
        #expect(SQLInjectionDetector.detect(statement: "SELECT 1", dialect: .mysql,
                                            parameters: [UserParameter(value: "   ", address: "q")]) == nil)
    }

    @Test func numberListsStayInPlace() {
        func detect(_ statement: String, _ value: String) -> InjectionFinding? {
            SQLInjectionDetector.detect(statement: statement, dialect: .postgresql,
                                        parameters: [UserParameter(value: value, address: "server.request.query")])
        }
        #expect(detect("SELECT * FROM t WHERE id IN (1,2,3)", "1,2,3") == nil)
        #expect(detect("SELECT * FROM t WHERE id IN (1, -2, 3)", "1, -2, 3") == nil)
        #expect(detect("SELECT * FROM t WHERE id IN (1,2) OR 1=1", "1,2) OR 1=1") != nil)
        #expect(detect("SELECT * FROM t WHERE id IN (1,2,3-1)", "1,2,3-1") != nil)
        #expect(detect("SELECT * FROM t WHERE id IN (1,)", "1,") != nil)
    }

    @Test func everyOccurrenceIsChecked() throws {
        // First occurrence sits harmlessly in a literal, the second breaks out.
        let statement = "SELECT * FROM t WHERE a = '1 OR 1=1' AND b = 1 OR 1=1"
        let finding = try #require(SQLInjectionDetector.detect(
            statement: statement, dialect: .generic,
            parameters: [UserParameter(value: "1 OR 1=1", address: "server.request.query")]))
        #expect(finding.location == 45..<53)
    }

    @Test func shortAndAbsentParametersAreIgnored() {
        let statement = "SELECT * FROM t WHERE a = 1 OR 1=1"
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .generic,
                                            parameters: [UserParameter(value: "=", address: "q")]) == nil)
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .generic,
                                            parameters: [UserParameter(value: "é", address: "q")]) == nil)
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .generic,
                                            parameters: [UserParameter(value: "UNION SELECT", address: "q")]) == nil)
        #expect(SQLInjectionDetector.detect(statement: statement, dialect: .generic, parameters: []) == nil)
    }
}
