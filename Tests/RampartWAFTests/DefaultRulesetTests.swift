import Foundation
import Testing
@testable import RampartWAF

@Suite("Default ruleset document")
struct DefaultRulesetDocumentTests {
    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedCopyMatchesTheCanonicalFile() throws {
        let file = try String(contentsOf: Self.packageRoot.appendingPathComponent("Rules/default-ruleset.json"), encoding: .utf8)
        #expect(DefaultRuleset.json == file.trimmingCharacters(in: .newlines), "run scripts/embed-default-ruleset.sh")
    }

    @Test func everyRuleIsWellFormedAndHasCases() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(DefaultRuleset.json.utf8)) as? [String: Any])
        #expect((document["metadata"] as? [String: String])?["rules_version"] == DefaultRuleset.version)
        let rules = try #require(document["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == rules.count, "rule ids are unique")
        let casesURL = Self.packageRoot.appendingPathComponent("Tests/RampartWAFTests/Fixtures/default-ruleset-cases.json")
        let cases = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: casesURL)) as? [[String: Any]])
        let covered = Set(cases.compactMap { $0["rule"] as? String })
        for rule in rules {
            let id = rule["id"] as? String ?? "?"
            let tags = rule["tags"] as? [String: String] ?? [:]
            #expect(tags["type"] != nil && tags["category"] != nil, "\(id) has type and category tags")
            if let stack = tags["stack"] { #expect(DefaultRuleset.knownStacks.contains(stack), "\(id) stack \(stack)") }
            // Every detection rule has attack and look-alike cases; blocklist, RASP and header-pair rules are
            // exercised by their own tests.
            let exercisedElsewhere = id.hasPrefix("rpt-block-") || id.hasPrefix("rpt-rasp-") || id == "rpt-proto-002"
            if !exercisedElsewhere { #expect(covered.contains(id), "\(id) has cases in default-ruleset-cases.json") }
        }
        for entry in cases {
            #expect(((entry["attack"] as? [String]) ?? []).isEmpty == false)
            #expect(((entry["benign"] as? [String]) ?? []).isEmpty == false)
        }
    }

    @Test func stackOverridesTargetUnusedStacks() throws {
        let json = DefaultRuleset.stackOverrides(usedStacks: ["sql", "node"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let overrides = try #require(document["rules_override"] as? [[String: Any]])
        let stacks = overrides.compactMap { (($0["rules_target"] as? [[String: Any]])?.first?["tags"] as? [String: String])?["stack"] }
        #expect(stacks == ["nosql", "php", "java"])
        #expect(overrides.allSatisfy { ($0["on_match"] as? [String]) == [] })
        let disabled = DefaultRuleset.stackOverrides(usedStacks: [], policy: .disable)
        #expect(disabled.contains(#""enabled": false"#))
        #expect(DefaultRuleset.stackOverrides(usedStacks: Set(DefaultRuleset.knownStacks)) == #"{"rules_override": []}"#)
    }
}
