import Testing
@testable import RampartWAF

/// `WAFContext.makeSubcontext()` and the operators added for libddwaf's validator suite.
@Suite struct SubcontextTests {
    /// A rule needing both `a` and `b` to contain "evil".
    static let twoConditionRuleset = ruleset(
        #"{"id": "both", "name": "both", "tags": {"type": "t", "category": "c"}, "conditions": ["#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "a"}], "regex": "evil"}},"#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "b"}], "regex": "evil"}}]}"#)

    @Test func subcontextSeesParentDataAndAccumulatesItsOwn() throws {
        let waf = try WAF(rulesetJSON: Self.twoConditionRuleset, configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run(["a": "evil"], budget: .seconds(1)).events.isEmpty)
        let subcontext = context.makeSubcontext()
        #expect(subcontext.run(["b": "evil"], budget: .seconds(1)).events.map(\.rule.id) == ["both"])
        // Within the subcontext the rule fired once.
        #expect(subcontext.run(["b": "more evil"], budget: .seconds(1)).events.isEmpty)
    }

    @Test func subcontextLeavesParentUnchanged() throws {
        let waf = try WAF(rulesetJSON: Self.twoConditionRuleset, configuration: noObfuscation)
        let context = waf.makeContext()
        let subcontext = context.makeSubcontext()
        #expect(subcontext.run(["a": "evil"], budget: .seconds(1)).events.isEmpty)
        #expect(subcontext.run(["b": "evil"], budget: .seconds(1)).events.map(\.rule.id) == ["both"])
        // The parent never saw `a`, and the rule did not fire there.
        #expect(context.run(["b": "evil"], budget: .seconds(1)).events.isEmpty)
        #expect(context.run(["a": "evil"], budget: .seconds(1)).events.map(\.rule.id) == ["both"])
    }

    @Test func greaterThanAndLowerThanCompareAcrossNumericTypes() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                rule("gt", operator: "greater_than", parameters: #""inputs": [{"address": "n"}], "type": "signed", "value": -42"#)
                    + ","
                    + rule("lt", type: "t2", operator: "lower_than", parameters: #""inputs": [{"address": "m"}], "type": "float", "value": 4.2"#)),
            configuration: noObfuscation)
        #expect(firedIDs(waf, ["n": .signed(-41)]) == ["gt"])
        #expect(firedIDs(waf, ["n": .signed(-42)]) == [])
        #expect(firedIDs(waf, ["n": .unsigned(3)]) == ["gt"])
        #expect(firedIDs(waf, ["n": "100"]) == [])
        #expect(firedIDs(waf, ["m": .float(4.1)]) == ["lt"])
        #expect(firedIDs(waf, ["m": .signed(5)]) == [])
        #expect(firedIDs(waf, ["m": .signed(-5)]) == ["lt"])
    }
}
