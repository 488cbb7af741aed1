import Testing

@testable import RampartWAF

/// Rules whose conditions are all scan-served scalars are decided from the address scans' hits ("hit-driven").
/// Targeting a rule with an exclusion sends it down the general condition-by-condition path instead, so the same
/// rules evaluated both ways must fire identically — over sequences of calls that replace kept data, add data in
/// any order and carry ephemeral data, where which condition hits are kept decides the outcome.
@Suite struct HitDrivenEvaluationTests {
    /// Two-condition rules over three addresses (one condition reads two of them), plus a single-condition rule.
    static let rules = [
        #"{"id": "pair", "name": "pair", "tags": {"type": "pair", "category": "attack_attempt"}, "conditions": ["#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "a"}], "regex": "one"}},"#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "b"}, {"address": "c"}], "regex": "two"}}]}"#,
        #"{"id": "reverse", "name": "reverse", "tags": {"type": "reverse", "category": "attack_attempt"}, "conditions": ["#
            + #"{"operator": "phrase_match", "parameters": {"inputs": [{"address": "c"}], "list": ["three"]}},"#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "a", "key_path": ["k"]}], "regex": "one"}}]}"#,
        rule("single", type: "single", parameters: #""inputs": [{"address": "b"}], "regex": "^two$""#),
    ]

    /// The same rules, each targeted by an exclusion whose condition never holds (`d` is never sent).
    static func documents() -> (hitDriven: String, general: String) {
        let body = rules.joined(separator: ",")
        let never = #"{"operator": "exists", "parameters": {"inputs": [{"address": "d"}]}}"#
        let exclusions = ["pair", "reverse", "single"].map { id in
            #"{"id": "never-\#(id)", "rules_target": [{"rule_id": "\#(id)"}], "conditions": [\#(never)]}"#
        }
        return (ruleset(body), ruleset(body, extra: #""exclusions": [\#(exclusions.joined(separator: ","))]"#))
    }

    @Test func theGeneralPathIsReallyTaken() throws {
        let (hitDriven, general) = Self.documents()
        let fast = try WAF(rulesetJSON: hitDriven, configuration: noObfuscation)
        let slow = try WAF(rulesetJSON: general, configuration: noObfuscation)
        #expect(fast.ruleset.hitDrivenRules.filter { $0 }.count == 3)
        #expect(slow.ruleset.hitDrivenRules.allSatisfy { !$0 })
    }

    /// libddwaf's short circuit: a later condition's hit is not kept while an earlier one has not matched, so data
    /// replaced before the rule reaches it no longer counts (the validator's "reset second condition" case).
    @Test func unreachedConditionsAreDecidedOnTheCurrentData() throws {
        let waf = try WAF(rulesetJSON: Self.documents().hitDriven, configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run(["b": .string("xx two")], budget: .seconds(5)).events.isEmpty)
        #expect(context.run(["b": .string("garbage")], budget: .seconds(5)).events.isEmpty)
        #expect(context.run(["a": .string("one")], budget: .seconds(5)).events.isEmpty)
        #expect(context.run(["c": .string("two")], budget: .seconds(5)).events.map(\.rule.id) == ["pair"])

        // Once reached and matched, a condition stays matched even when its data is replaced.
        let kept = waf.makeContext()
        #expect(kept.run(["a": .string("one")], budget: .seconds(5)).events.isEmpty)
        #expect(kept.run(["a": .string("nothing")], budget: .seconds(5)).events.isEmpty)
        let fired = kept.run(["b": .string("two!")], budget: .seconds(5)).events
        #expect(fired.map(\.rule.id) == ["pair"])
        #expect(fired.first?.ruleMatches.map { $0.parameters.first?.value } == ["one", "two!"])
    }

    @Test func ephemeralHitsCountForOneCallOnly() throws {
        let waf = try WAF(rulesetJSON: Self.documents().hitDriven, configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run(["a": .string("one")], budget: .seconds(5)).events.isEmpty)
        #expect(context.run([:], ephemeral: ["b": .string("two")], budget: .seconds(5)).events.map(\.rule.id).sorted()
            == ["pair", "single"])
        // Ephemeral matches do not mark the rules fired: the next call can fire them again.
        #expect(context.run([:], ephemeral: ["c": .string("two")], budget: .seconds(5)).events.map(\.rule.id) == ["pair"])
        #expect(context.run([:], ephemeral: ["b": .string("no")], budget: .seconds(5)).events.isEmpty)
    }

    @Test func randomCallSequencesFireTheSameRulesBothWays() throws {
        let (hitDriven, general) = Self.documents()
        let fast = try WAF(rulesetJSON: hitDriven, configuration: noObfuscation)
        let slow = try WAF(rulesetJSON: general, configuration: noObfuscation)
        let texts: [WAFValue] = [
            .string("one"), .string("two"), .string("three"), .string("nothing"), .string("one two three"),
            .map([.init(key: "k", value: .string("one"))]), .map([.init(key: "k", value: .string("zero"))]),
            .array([.string("x"), .string("two")]),
        ]
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<400 {
            let fastContext = fast.makeContext()
            let slowContext = slow.makeContext()
            for _ in 0..<Int(generator.next() % 5 + 1) {
                var data: [String: WAFValue] = [:]
                var ephemeral: [String: WAFValue] = [:]
                for address in ["a", "b", "c"] {
                    switch generator.next() % 4 {
                    case 0: data[address] = texts[Int(generator.next() % UInt64(texts.count))]
                    case 1: ephemeral[address] = texts[Int(generator.next() % UInt64(texts.count))]
                    default: break
                    }
                }
                let expected = slowContext.run(data, ephemeral: ephemeral, budget: .seconds(5))
                let actual = fastContext.run(data, ephemeral: ephemeral, budget: .seconds(5))
                #expect(
                    actual.events.map(\.rule.id) == expected.events.map(\.rule.id),
                    "data \(data) ephemeral \(ephemeral)")
                #expect(
                    actual.events.map { $0.ruleMatches.map { $0.parameters.map(\.value) } }
                        == expected.events.map { $0.ruleMatches.map { $0.parameters.map(\.value) } })
            }
        }
    }
}
