import Testing
@testable import RampartWAF

@Suite struct EvaluationTests {
    @Test func regexRuleReportsEventInLibddwafShape() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(rule("r1", parameters: #""inputs": [{"address": "server.request.query"}], "regex": "un(ion)""#)),
            configuration: noObfuscation)
        let result = waf.makeContext().run(["server.request.query": ["q": ["a", "x UNION y"]]], budget: .seconds(5))
        let event = try #require(result.events.first)
        #expect(event.rule.id == "r1")
        let parameter = try #require(event.ruleMatches.first?.parameters.first)
        #expect(event.ruleMatches.first?.operator == "match_regex")
        #expect(event.ruleMatches.first?.operatorValue == "un(ion)")
        #expect(parameter.address == "server.request.query")
        #expect(parameter.keyPath == [.key("q"), .index(1)])
        #expect(parameter.value == "x UNION y")
        #expect(parameter.highlight == ["UNION"])
        #expect(!result.timedOut)
    }

    @Test func caseSensitiveAndMinLengthOptions() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                rule("cs", parameters: #""inputs": [{"address": "a"}], "regex": "abc", "options": {"case_sensitive": true}"#)
                    + "," + rule("min", type: "t2", parameters: #""inputs": [{"address": "a"}], "regex": "x", "options": {"min_length": 5}"#)),
            configuration: noObfuscation)
        #expect(firedIDs(waf, ["a": "ABC"]) == [])
        #expect(firedIDs(waf, ["a": "abc"]) == ["cs"])
        #expect(firedIDs(waf, ["a": "x"]) == [])
        #expect(firedIDs(waf, ["a": "xxxxx"]) == ["min"])
    }

    @Test func ruleFiresOnceAndOnlyOnNewData() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(rule("r1", parameters: #""inputs": [{"address": "a"}, {"address": "b"}], "regex": "evil""#)),
            configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run(["a": "fine"], budget: .seconds(1)).events.isEmpty)
        #expect(context.run(["b": "evil"], budget: .seconds(1)).events.map(\.rule.id) == ["r1"])
        #expect(context.run(["a": "evil"], budget: .seconds(1)).events.isEmpty)
    }

    @Test func conditionsAccumulateAcrossRuns() throws {
        let rules = #"{"id": "two", "name": "two", "tags": {"type": "t"}, "conditions": ["#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "a"}], "regex": "x"}},"#
            + #"{"operator": "match_regex", "parameters": {"inputs": [{"address": "b"}], "regex": "y"}}]}"#
        let waf = try WAF(rulesetJSON: ruleset(rules), configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run(["a": "x"], budget: .seconds(1)).events.isEmpty)
        let second = context.run(["b": "y"], budget: .seconds(1))
        #expect(second.events.map(\.rule.id) == ["two"])
        #expect(second.events.first?.ruleMatches.count == 2)
    }

    @Test func ephemeralDataIsForgottenAndCanFireAgain() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(rule("r1", parameters: #""inputs": [{"address": "e"}], "regex": "bad""#)),
            configuration: noObfuscation)
        let context = waf.makeContext()
        #expect(context.run([:], ephemeral: ["e": "bad"], budget: .seconds(1)).events.count == 1)
        #expect(context.run([:], ephemeral: ["e": "bad"], budget: .seconds(1)).events.count == 1)
        #expect(context.run([:], ephemeral: ["e": "good"], budget: .seconds(1)).events.isEmpty)
    }

    @Test func keyPathsSelectNestedValues() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                rule("kp", parameters: #""inputs": [{"address": "h", "key_path": ["user-agent"]}], "regex": "curl""#)),
            configuration: noObfuscation)
        #expect(firedIDs(waf, ["h": ["user-agent": ["curl/8"]]]) == ["kp"])
        #expect(firedIDs(waf, ["h": ["referer": ["curl/8"]]]) == [])
        let arrays = try WAF(
            rulesetJSON: ruleset(rule("idx", parameters: #""inputs": [{"address": "h", "key_path": ["a", 1]}], "regex": "z""#)),
            configuration: noObfuscation)
        #expect(firedIDs(arrays, ["h": ["a": ["z", "y"]]]) == [])
        #expect(firedIDs(arrays, ["h": ["a": ["y", "z"]]]) == ["idx"])
    }

    @Test func keysOnlyInspectsKeysNotValues() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                rule("keys", parameters: #""inputs": [{"address": "q"}], "regex": "^\\$where$""#,
                     extra: #""transformers": ["keys_only"]"#)),
            configuration: noObfuscation)
        #expect(firedIDs(waf, ["q": ["x": "$where"]]) == [])
        #expect(firedIDs(waf, ["q": ["a": ["$where": "1"]]]) == ["keys"])
        let perInput = try WAF(
            rulesetJSON: ruleset(
                rule("mixed", parameters: #""inputs": [{"address": "q", "transformers": ["values_only"]}], "regex": "^k$""#,
                     extra: #""transformers": ["keys_only"]"#)),
            configuration: noObfuscation)
        #expect(firedIDs(perInput, ["q": ["k": "v"]]) == [])
        #expect(firedIDs(perInput, ["q": ["v": "k"]]) == ["mixed"])
    }

    @Test func firstMatchInTypeCollectionWinsAndBlockingRulesComeFirst() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                rule("a1", type: "sqli", parameters: #""inputs": [{"address": "q"}], "regex": "x""#) + ","
                    + rule("a2", type: "sqli", parameters: #""inputs": [{"address": "q"}], "regex": "x""#) + ","
                    + rule("b1", type: "xss", parameters: #""inputs": [{"address": "q"}], "regex": "x""#)),
            configuration: noObfuscation)
        // One event per type; which of a1/a2 wins follows libddwaf's hash-table order (see RuleOrderTests).
        let fired = firedIDs(waf, ["q": "x"])
        #expect(fired.count == 2)
        #expect(fired.contains("b1"))
        #expect(fired.contains("a1") != fired.contains("a2"))
        let blocking = try WAF(
            rulesetJSON: ruleset(
                rule("m1", type: "sqli", parameters: #""inputs": [{"address": "q"}], "regex": "x""#) + ","
                    + rule("blk", type: "zzz", parameters: #""inputs": [{"address": "q"}], "regex": "x""#,
                           extra: #""on_match": ["block"]"#)),
            configuration: noObfuscation)
        let result = blocking.makeContext().run(["q": "x"], budget: .seconds(1))
        // The blocking rule is evaluated first and stops the module.
        #expect(result.events.map(\.rule.id) == ["blk"])
        #expect(result.isBlocking)
        #expect(result.actions == [.block(status: 403, type: .auto, id: "block")])
    }

    @Test func limitsCapDepthAndContainerSize() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(rule("r", parameters: #""inputs": [{"address": "a"}], "regex": "hit""#)),
            configuration: WAFConfiguration(limits: WAFLimits(maxDepth: 3, maxContainerSize: 2), obfuscator: nil))
        #expect(firedIDs(waf, ["a": ["x", "y", "hit"]]) == [])
        #expect(firedIDs(waf, ["a": ["x", "hit"]]) == ["r"])
        #expect(firedIDs(waf, ["a": [["hit"]]]) == ["r"])
        #expect(firedIDs(waf, ["a": [[["hit"]]]]) == [])
    }

    @Test func zeroBudgetTimesOut() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(rule("r", parameters: #""inputs": [{"address": "a"}], "regex": "hit""#)),
            configuration: noObfuscation)
        let big = WAFValue.array(Array(repeating: "no", count: 200))
        let result = waf.makeContext().run(["a": big], budget: .zero)
        #expect(result.timedOut)
        #expect(result.events.isEmpty)
    }
}
