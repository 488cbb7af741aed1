import Foundation
import Testing
@testable import RampartWAF

/// The SQL cases of the shared RASP development corpus (`../shared/corpus/rasp-dev.jsonl`, format in RASP.md):
/// every attack detected, no benign case flagged.
@Suite struct SQLRaspCorpusTests {
    struct Case {
        var id: String
        var statement: String
        var dialect: SQLDialect
        var parameters: [UserParameter]
        var isAttack: Bool
    }

    static let corpusURL = SQLCorpusLocation.file("rasp-dev.jsonl")

    static func loadSQLCases() throws -> [Case] {
        let text = try String(contentsOf: corpusURL, encoding: .utf8)
        var cases: [Case] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["type"] as? String == "sql" else { continue }
            let params = object["params"] as? [String: Any] ?? [:]
            var parameters: [UserParameter] = []
            for (name, address) in [("query", "server.request.query"), ("body", "server.request.body"),
                                    ("path_params", "server.request.path_params")] {
                collect(params[name] as Any, address: address, path: [], into: &parameters)
            }
            cases.append(Case(id: object["id"] as? String ?? "?", statement: object["operation"] as? String ?? "",
                              dialect: SQLDialect(dbType: object["dialect"] as? String ?? ""),
                              parameters: parameters, isAttack: object["label"] as? String == "attack"))
        }
        return cases
    }

    static func collect(_ value: Any, address: String, path: [KeyPathComponent], into parameters: inout [UserParameter]) {
        if let map = value as? [String: Any] {
            for (key, child) in map.sorted(by: { $0.key < $1.key }) {
                collect(child, address: address, path: path + [.key(key)], into: &parameters)
            }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() {
                collect(child, address: address, path: path + [.index(index)], into: &parameters)
            }
        } else if let string = value as? String {
            parameters.append(UserParameter(value: string, address: address, keyPath: path))
        }
    }

    @Test func everySQLAttackDetectedAndNoFalsePositive() throws {
        let cases = try Self.loadSQLCases()
        #expect(cases.count >= 100)
        var missed: [String] = []
        var falsePositives: [String] = []
        for testCase in cases {
            let finding = SQLInjectionDetector.detect(statement: testCase.statement, dialect: testCase.dialect,
                                                      parameters: testCase.parameters)
            if testCase.isAttack, finding == nil { missed.append(testCase.id) }
            if !testCase.isAttack, let finding { falsePositives.append("\(testCase.id): \(finding.reason)") }
            if let finding {
                #expect(finding.detector == "sqli_detector")
                #expect(finding.location != nil)
            }
        }
        #expect(missed.isEmpty, "missed attacks: \(missed)")
        #expect(falsePositives.isEmpty, "false positives: \(falsePositives)")
    }
}
