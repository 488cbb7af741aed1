import Foundation
import Testing
@testable import RampartWAF

/// The shell, exec, path and URL cases of the shared RASP development corpus (`rasp-dev.jsonl`, format in
/// RASP.md): every attack detected, no benign case flagged.
@Suite struct RaspCorpusTests {
    struct Case {
        var id: String
        var type: String
        var operation: [String]
        var parameters: [UserParameter]
        var isAttack: Bool
    }

    static func loadCases() throws -> [Case] {
        let text = try String(contentsOf: RaspTestSupport.corpusFile("rasp-dev.jsonl"), encoding: .utf8)
        var cases: [Case] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let type = object["type"] as? String ?? ""
            guard type != "sql" else { continue }
            let operation: [String] = (object["operation"] as? [String]) ?? [(object["operation"] as? String) ?? ""]
            let params = object["params"] as? [String: Any] ?? [:]
            var parameters: [UserParameter] = []
            for (name, address) in [("query", "server.request.query"), ("body", "server.request.body"),
                                    ("path_params", "server.request.path_params")] {
                collect(params[name] as Any, address: address, path: [], into: &parameters)
            }
            cases.append(Case(id: object["id"] as? String ?? "?", type: type, operation: operation,
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

    static func detect(_ testCase: Case) -> InjectionFinding? {
        let operation = testCase.operation.first ?? ""
        switch testCase.type {
        case "shell": return ShellInjectionDetector.detect(commandLine: operation, parameters: testCase.parameters)
        case "exec": return CommandInjectionDetector.detect(arguments: testCase.operation, parameters: testCase.parameters)
        case "path": return PathTraversalDetector.detect(path: operation, parameters: testCase.parameters)
        case "url": return SSRFDetector.detect(url: operation, parameters: testCase.parameters)
        default: return nil
        }
    }

    @Test func everyAttackDetectedAndNoFalsePositive() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 80)
        #expect(Set(cases.map(\.type)) == ["shell", "exec", "path", "url"])
        var missed: [String] = []
        var falsePositives: [String] = []
        for testCase in cases {
            let finding = Self.detect(testCase)
            if testCase.isAttack, finding == nil { missed.append(testCase.id) }
            if !testCase.isAttack, let finding { falsePositives.append("\(testCase.id): \(finding.reason)") }
            if let finding {
                #expect(finding.location != nil, "\(testCase.id)")
                #expect(testCase.parameters.contains(finding.parameter), "\(testCase.id)")
            }
        }
        #expect(missed.isEmpty, "missed attacks: \(missed)")
        #expect(falsePositives.isEmpty, "false positives: \(falsePositives)")
    }
}
