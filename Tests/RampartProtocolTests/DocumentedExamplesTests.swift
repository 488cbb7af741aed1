import Foundation
import Testing

@testable import RampartProtocol

/// Every JSON example in docs/agent-protocol.md decodes as the type its `<!-- Type -->` comment names and encodes
/// back to the same JSON, so the document and the code agree.
@Suite struct DocumentedExamplesTests {
    struct Example {
        var typeName: String
        var json: String
    }

    static func examples() throws -> [Example] {
        let documentURL = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/agent-protocol.md")
        let text = try String(contentsOf: documentURL, encoding: .utf8)
        var examples: [Example] = []
        var pendingType: String?
        var collecting: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if var lines = collecting {
                if line == "```" {
                    if let pendingType { examples.append(Example(typeName: pendingType, json: lines.joined(separator: "\n"))) }
                    collecting = nil
                    pendingType = nil
                } else {
                    lines.append(String(line))
                    collecting = lines
                }
            } else if line.hasPrefix("<!-- "), line.hasSuffix(" -->") {
                pendingType = String(line.dropFirst(5).dropLast(4))
            } else if line == "```json" {
                collecting = []
            }
        }
        return examples
    }

    func check<Value: Codable>(_ type: Value.Type, _ json: String) throws {
        let value = try ProtocolCoding.decode(Value.self, from: Data(json.utf8))
        let reencoded = try ProtocolCoding.encode(value)
        let original = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
        let roundTripped = try JSONSerialization.jsonObject(with: reencoded) as? NSDictionary
        #expect(original != nil)
        #expect(original == roundTripped, "\(Value.self) example changed on re-encoding")
    }

    @Test func everyDocumentedTypeHasAnExampleThatRoundTrips() throws {
        let examples = try Self.examples()
        let names = Set(examples.map(\.typeName))
        #expect(names == ["ProtocolErrorResponse", "AgentLogin", "AgentLoginResponse", "Heartbeat", "HeartbeatResponse", "AgentCommand"])
        for example in examples {
            switch example.typeName {
            case "ProtocolErrorResponse": try check(ProtocolErrorResponse.self, example.json)
            case "AgentLogin": try check(AgentLogin.self, example.json)
            case "AgentLoginResponse": try check(AgentLoginResponse.self, example.json)
            case "Heartbeat": try check(Heartbeat.self, example.json)
            case "HeartbeatResponse": try check(HeartbeatResponse.self, example.json)
            case "AgentCommand": try check(AgentCommand.self, example.json)
            default: Issue.record("unknown type \(example.typeName) in docs/agent-protocol.md")
            }
        }
    }

    @Test func documentedHeartbeatCarriesBothEventKinds() throws {
        let json = try #require(try Self.examples().first { $0.typeName == "Heartbeat" }).json
        let heartbeat = try ProtocolCoding.decode(Heartbeat.self, from: Data(json.utf8))
        let events = heartbeat.batches.flatMap(\.events)
        #expect(events.map(\.kind) == [.waf, .rasp])
        #expect(events.first?.rules.first?.keyPath == ["q", "0"])
        #expect(events.last?.stack?.count == 2)
        #expect(heartbeat.metrics.requests == 1830)
    }
}
