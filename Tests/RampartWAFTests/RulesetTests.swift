import Testing
@testable import RampartWAF

@Suite struct RulesetTests {
    private let twoRules =
        rule("sq1", type: "sql_injection", parameters: #""inputs": [{"address": "q"}], "regex": "union""#) + ","
        + rule("xs1", type: "xss", parameters: #""inputs": [{"address": "q"}], "regex": "script""#)

    @Test func unusableDocumentsThrow() {
        #expect(throws: WAFLoadError.self) { try WAF(rulesetJSON: "not json") }
        #expect(throws: WAFLoadError.self) { try WAF(rulesetJSON: "[1, 2]") }
        #expect(throws: WAFLoadError.self) { try WAF(rulesetJSON: #"{"version": "2.2"}"#) }
        #expect(throws: WAFLoadError.self) {
            try WAF(rulesetJSON: ruleset(#"{"id": "x", "name": "n", "tags": {"type": "t"}, "conditions": []}"#))
        }
    }

    @Test func malformedRulesAreNamedInDiagnostics() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                twoRules + #", {"id": "noname", "tags": {"type": "t"}, "conditions": []}, {"id": "notype", "name": "n", "tags": {}, "conditions": []}"#),
            configuration: noObfuscation)
        #expect(waf.diagnostics.rules?.errors["missing key 'name'"] == ["noname"])
        #expect(waf.diagnostics.rules?.errors["missing key 'tags.type'"] == ["notype"])
        #expect(waf.rulesetVersion == "test")
    }

    @Test func overridesDisableAndChangeActionsByIDAndTags() throws {
        let document = ruleset(
            twoRules,
            extra: #""rules_override": [{"rules_target": [{"tags": {"type": "xss"}}], "on_match": ["block"]}, {"rules_target": [{"rule_id": "sq1"}], "enabled": false}]"#)
        let waf = try WAF(rulesetJSON: document, configuration: noObfuscation)
        let result = waf.makeContext().run(["q": "union script"], budget: .seconds(1))
        #expect(result.events.map(\.rule.id) == ["xs1"])
        #expect(result.isBlocking)
        let idWins = try WAF(
            rulesetJSON: ruleset(
                twoRules,
                extra: #""rules_override": [{"rules_target": [{"rule_id": "xs1"}], "enabled": true}, {"rules_target": [{"tags": {"type": "xss"}}], "enabled": false}]"#),
            configuration: noObfuscation)
        #expect(firedIDs(idWins, ["q": "script"]) == ["xs1"])
    }

    @Test func ruleExclusionsBypassOrMonitor() throws {
        let bypass = try WAF(
            rulesetJSON: ruleset(
                twoRules,
                extra: #""exclusions": [{"id": "e1", "rules_target": [{"rule_id": "sq1"}], "conditions": [{"operator": "match_regex", "parameters": {"inputs": [{"address": "route"}], "regex": "^/admin"}}]}]"#),
            configuration: noObfuscation)
        #expect(firedIDs(bypass, ["q": "union script", "route": "/admin/x"]) == ["xs1"])
        #expect(firedIDs(bypass, ["q": "union script", "route": "/shop"]) == ["sq1", "xs1"])
        let monitor = try WAF(
            rulesetJSON: ruleset(
                rule("blk", parameters: #""inputs": [{"address": "q"}], "regex": "x""#, extra: #""on_match": ["block"]"#),
                extra: #""exclusions": [{"id": "m", "rules_target": [{"tags": {"type": "test"}}], "on_match": "monitor"}]"#),
            configuration: noObfuscation)
        let result = monitor.makeContext().run(["q": "x"], budget: .seconds(1))
        #expect(result.events.map(\.rule.id) == ["blk"])
        #expect(!result.isBlocking)
    }

    @Test func inputExclusionsHideKeyPaths() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(
                twoRules,
                extra: #""exclusions": [{"id": "i1", "inputs": [{"address": "q", "key_path": ["safe"]}]}]"#),
            configuration: noObfuscation)
        #expect(firedIDs(waf, ["q": ["safe": "union"]]) == [])
        #expect(firedIDs(waf, ["q": ["other": "union"]]) == ["sq1"])
    }

    @Test func rulesDataWithExpiration() throws {
        let now = WallClock.nowSeconds()
        let document = ruleset(
            rule("blk-ip", type: "block_ip", operator: "ip_match", parameters: #""inputs": [{"address": "http.client_ip"}], "data": "blocked_ips""#, extra: #""on_match": ["block"]"#)
                + "," + rule("blk-user", type: "block_user", operator: "exact_match", parameters: #""inputs": [{"address": "usr.id"}], "data": "blocked_users""#),
            extra: #""rules_data": [{"id": "blocked_ips", "type": "ip_with_expiration", "data": [{"value": "1.2.3.4", "expiration": \#(now + 3600)}, {"value": "5.6.7.8", "expiration": \#(now - 10)}, {"value": "9.9.0.0/16"}]}, {"id": "blocked_users", "type": "data_with_expiration", "data": [{"value": "mallory", "expiration": 0}, {"value": "eve", "expiration": \#(now - 1)}]}]"#)
        let waf = try WAF(rulesetJSON: document, configuration: noObfuscation)
        #expect(firedIDs(waf, ["http.client_ip": "1.2.3.4"]) == ["blk-ip"])
        #expect(firedIDs(waf, ["http.client_ip": "5.6.7.8"]) == [])
        #expect(firedIDs(waf, ["http.client_ip": "9.9.1.1"]) == ["blk-ip"])
        #expect(firedIDs(waf, ["usr.id": "mallory"]) == ["blk-user"])
        #expect(firedIDs(waf, ["usr.id": "eve"]) == [])
        // Without its data set the rule loads but cannot match.
        let missing = try WAF(rulesetJSON: ruleset(rule("u", operator: "exact_match", parameters: #""inputs": [{"address": "usr.id"}], "data": "nope""#)))
        #expect(firedIDs(missing, ["usr.id": "mallory"]) == [])
    }

    @Test func actionsSectionDefinesBlockAndRedirect() throws {
        let document = ruleset(
            rule("r", parameters: #""inputs": [{"address": "q"}], "regex": "x""#, extra: #""on_match": ["go"]"#),
            extra: #""actions": [{"id": "go", "type": "redirect_request", "parameters": {"status_code": 302, "location": "/blocked"}}]"#)
        let result = try WAF(rulesetJSON: document, configuration: noObfuscation).makeContext().run(["q": "x"], budget: .seconds(1))
        #expect(result.actions == [.redirect(status: 302, location: "/blocked", id: "go")])
        #expect(result.events.first?.securityResponseID == "go")
    }

    @Test func processorsAndScannersAreAcceptedAndReported() throws {
        let waf = try WAF(
            rulesetJSON: ruleset(twoRules, extra: #""processors": [{"id": "p1", "generator": "extract_schema"}], "scanners": [{"id": "s1"}]"#))
        #expect(waf.diagnostics.processors?.skipped == ["p1"])
        #expect(waf.diagnostics.scanners?.skipped == ["s1"])
        #expect(!waf.diagnostics.hasErrors)
    }

    @Test func handleSwapsAtomicallyAndContextsKeepTheirInstance() throws {
        let handle = WAFHandle(try WAF(rulesetJSON: ruleset(twoRules), configuration: noObfuscation))
        let before = handle.makeContext()
        let diagnostics = try handle.update(
            rulesetJSON: #"{"rules_override": [{"rules_target": [{"rule_id": "sq1"}], "enabled": false}]}"#)
        #expect(diagnostics.rulesOverride?.loaded.count == 1)
        #expect(before.run(["q": "union"], budget: .seconds(1)).events.map(\.rule.id) == ["sq1"])
        #expect(handle.makeContext().run(["q": "union"], budget: .seconds(1)).events.isEmpty)
        // Regexes compiled for the first instance are reused by the update.
        #expect(handle.current.artifacts === before.waf.artifacts)
        #expect(handle.current.requiredAddresses == ["q"])
    }

    @Test func obfuscatorRedactsSensitiveKeysAndValues() throws {
        let waf = try WAF(rulesetJSON: ruleset(rule("r", parameters: #""inputs": [{"address": "q"}], "regex": "union""#)))
        let byKey = waf.makeContext().run(["q": ["password": "union x"]], budget: .seconds(1))
        #expect(byKey.events.first?.ruleMatches.first?.parameters.first?.value == "<Redacted>")
        #expect(byKey.events.first?.ruleMatches.first?.parameters.first?.highlight == ["<Redacted>"])
        let plain = waf.makeContext().run(["q": ["name": "union x"]], budget: .seconds(1))
        #expect(plain.events.first?.ruleMatches.first?.parameters.first?.value == "union x")
        let byValue = waf.makeContext().run(["q": ["name": "union Bearer abcdef123"]], budget: .seconds(1))
        #expect(byValue.events.first?.ruleMatches.first?.parameters.first?.value == "<Redacted>")
    }

    @Test func arbitraryValuesNeverCrashTheEvaluator() throws {
        let waf = try WAF(rulesetJSON: ruleset(twoRules), configuration: noObfuscation)
        var generator = SystemRandomNumberGenerator()
        func randomValue(_ depth: Int) -> WAFValue {
            switch Int.random(in: 0..<(depth > 6 ? 5 : 8), using: &generator) {
            case 0: return .string(String((0..<Int.random(in: 0..<40, using: &generator)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &generator))) }))
            case 1: return .signed(Int64.random(in: .min ... .max, using: &generator))
            case 2: return .float(Double.random(in: -1e9...1e9, using: &generator))
            case 3: return .bool(Bool.random(using: &generator))
            case 4: return .null
            case 5: return .array((0..<Int.random(in: 0..<5, using: &generator)).map { _ in randomValue(depth + 1) })
            default: return .map((0..<Int.random(in: 0..<5, using: &generator)).map { _ in .init(key: "k", value: randomValue(depth + 1)) })
            }
        }
        for _ in 0..<300 {
            _ = waf.makeContext().run(["q": randomValue(0)], budget: .milliseconds(50))
        }
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? WAF(rulesetJSON: bytes)
        }
    }
}
