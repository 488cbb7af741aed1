import Testing
@testable import RampartWAF

/// One test per operator, through the loader and a context (real components, no mocks).
@Suite struct OperatorTests {
    private func waf(_ op: String, _ parameters: String, extra: String = "", document: String = "") throws -> WAF {
        try WAF(
            rulesetJSON: ruleset(rule("r", operator: op, parameters: parameters, extra: extra), extra: document),
            configuration: noObfuscation)
    }

    @Test func phraseMatchIsCaseSensitiveWithOptionalWordBoundary() throws {
        let plain = try waf("phrase_match", #""inputs": [{"address": "a"}], "list": ["etc/passwd", "cmd.exe"]"#)
        #expect(firedIDs(plain, ["a": "/x/etc/passwd"]) == ["r"])
        #expect(firedIDs(plain, ["a": "/x/ETC/PASSWD"]) == [])
        let bounded = try waf(
            "phrase_match", #""inputs": [{"address": "a"}], "list": ["select"], "options": {"enforce_word_boundary": true}"#)
        #expect(firedIDs(bounded, ["a": "a select b"]) == ["r"])
        #expect(firedIDs(bounded, ["a": "preselected"]) == [])
    }

    @Test func exactMatchWholeValueOnly() throws {
        let waf = try waf("exact_match", #""inputs": [{"address": "a"}], "list": ["admin", "root"]"#)
        #expect(firedIDs(waf, ["a": "root"]) == ["r"])
        #expect(firedIDs(waf, ["a": "rooted"]) == [])
    }

    @Test func ipMatchCIDRv4AndV6() throws {
        let waf = try waf("ip_match", #""inputs": [{"address": "ip"}], "list": ["10.0.0.0/8", "2001:db8::/32", "1.2.3.4"]"#)
        #expect(firedIDs(waf, ["ip": "10.20.30.40"]) == ["r"])
        #expect(firedIDs(waf, ["ip": "1.2.3.4"]) == ["r"])
        #expect(firedIDs(waf, ["ip": "2001:db8::1"]) == ["r"])
        #expect(firedIDs(waf, ["ip": "11.0.0.1"]) == [])
        #expect(firedIDs(waf, ["ip": "not an ip"]) == [])
    }

    @Test func equalsTypedValues() throws {
        let boolean = try waf("equals", #""inputs": [{"address": "a"}], "type": "boolean", "value": true"#)
        #expect(firedIDs(boolean, ["a": true]) == ["r"])
        #expect(firedIDs(boolean, ["a": false]) == [])
        #expect(firedIDs(boolean, ["a": "true"]) == [])
        let number = try waf("equals", #""inputs": [{"address": "a"}], "type": "unsigned", "value": 42"#)
        #expect(firedIDs(number, ["a": 42]) == ["r"])
        #expect(firedIDs(number, ["a": .unsigned(42)]) == ["r"])
        #expect(firedIDs(number, ["a": 41]) == [])
        let text = try waf("equals", #""inputs": [{"address": "a"}], "type": "string", "value": "x""#)
        #expect(firedIDs(text, ["a": "x"]) == ["r"])
    }

    @Test func existsAndNegatedExists() throws {
        let exists = try waf("exists", #""inputs": [{"address": "a", "key_path": ["k"]}]"#)
        #expect(firedIDs(exists, ["a": ["k": "v"]]) == ["r"])
        #expect(firedIDs(exists, ["a": ["j": "v"]]) == [])
        let absent = try waf("!exists", #""inputs": [{"address": "a", "key_path": ["k"]}]"#)
        #expect(firedIDs(absent, ["a": ["j": "v"]]) == ["r"])
        #expect(firedIDs(absent, ["a": ["k": "v"]]) == [])
    }

    @Test func negatedRegexNeedsAnEvaluableValueAndNoMatch() throws {
        let waf = try waf("!match_regex", #""inputs": [{"address": "h", "key_path": ["x-id"]}], "regex": "^[0-9a-f]{8}$""#)
        #expect(firedIDs(waf, ["h": ["x-id": ["zzz"]]]) == ["r"])
        #expect(firedIDs(waf, ["h": ["x-id": ["deadbeef"]]]) == [])
        #expect(firedIDs(waf, ["h": ["other": ["zzz"]]]) == [])
        #expect(firedIDs(waf, ["h": ["x-id": [1]]]) == [])
    }

    @Test func isSQLiAndIsXSS() throws {
        let sqli = try waf("is_sqli", #""inputs": [{"address": "q"}]"#)
        #expect(firedIDs(sqli, ["q": ["id": ["1' OR '1'='1"]]]) == ["r"])
        #expect(firedIDs(sqli, ["q": ["name": ["O'Brien"]]]) == [])
        let xss = try waf("is_xss", #""inputs": [{"address": "q"}]"#)
        #expect(firedIDs(xss, ["q": ["c": ["<script>alert(1)</script>"]]]) == ["r"])
        #expect(firedIDs(xss, ["q": ["c": ["a < b and c > d"]]]) == [])
    }

    @Test func transformersApplyPerRuleAndPerInput() throws {
        let ruleLevel = try waf("match_regex", #""inputs": [{"address": "a"}], "regex": "^select$", "options": {"case_sensitive": true}"#,
                                extra: #""transformers": ["lowercase"]"#)
        #expect(firedIDs(ruleLevel, ["a": "SELECT"]) == ["r"])
        let inputLevel = try waf(
            "match_regex",
            #""inputs": [{"address": "a", "transformers": ["urlDecode"]}, {"address": "b"}], "regex": "<x>", "options": {"case_sensitive": true}"#,
            extra: #""transformers": ["lowercase"]"#)
        // The input's own transformers replace the rule's: `a` is URL-decoded but not lowercased.
        #expect(firedIDs(inputLevel, ["a": "%3Cx%3E"]) == ["r"])
        #expect(firedIDs(inputLevel, ["a": "%3CX%3E"]) == [])
        #expect(firedIDs(inputLevel, ["b": "<X>"]) == ["r"])
    }

    @Test func sqliDetectorReadsResourceParamsAndDBType() throws {
        let waf = try waf(
            "sqli_detector@v2",
            #""resource": [{"address": "server.db.statement"}], "params": [{"address": "server.request.query"}], "db_type": [{"address": "server.db.system"}]"#)
        let context = waf.makeContext()
        #expect(context.run(["server.request.query": ["id": ["1 OR 1=1"]]], budget: .seconds(1)).events.isEmpty)
        let result = context.run(
            [:],
            ephemeral: [
                "server.db.statement": "SELECT * FROM t WHERE id = 1 OR 1=1", "server.db.system": "postgresql",
            ], budget: .seconds(1))
        #expect(result.events.map(\.rule.id) == ["r"])
        #expect(result.events.first?.ruleMatches.first?.operator == "sqli_detector")
        let benign = context.run(
            [:], ephemeral: ["server.db.statement": "SELECT * FROM t WHERE id = $1", "server.db.system": "postgresql"],
            budget: .seconds(1))
        #expect(benign.events.isEmpty)
    }

    @Test func raspDetectorsLoadAndFire() throws {
        let lfi = try waf(
            "lfi_detector@v2", #""resource": [{"address": "server.io.fs.file"}], "params": [{"address": "server.request.query"}]"#)
        let context = lfi.makeContext()
        _ = context.run(["server.request.query": ["f": ["../../../etc/passwd"]]], budget: .seconds(1))
        let hit = context.run([:], ephemeral: ["server.io.fs.file": "/var/www/../../../etc/passwd"], budget: .seconds(1))
        #expect(hit.events.map(\.rule.id) == ["r"])
        for (op, address) in [("shi_detector", "server.sys.shell.cmd"), ("cmdi_detector", "server.sys.exec.cmd"),
                              ("ssrf_detector", "server.io.net.url")] {
            let loaded = try waf(op, #""resource": [{"address": "\#(address)"}], "params": [{"address": "server.request.query"}]"#)
            #expect(loaded.diagnostics.loadedRuleIDs == ["r"])
        }
    }

    @Test func unknownOperatorOrVersionIsSkippedWithDiagnostic() throws {
        let document = ruleset(
            rule("ok", parameters: #""inputs": [{"address": "a"}], "regex": "x""#) + ","
                + rule("future", type: "t2", operator: "sqli_detector@v9", parameters: #""resource": [{"address": "s"}], "params": [{"address": "q"}], "db_type": [{"address": "d"}]"#) + ","
                + rule("unknown", type: "t3", operator: "magic_match", parameters: #""inputs": [{"address": "a"}]"#) + ","
                + rule("badregex", type: "t4", parameters: #""inputs": [{"address": "a"}], "regex": "(unclosed""#))
        let waf = try WAF(rulesetJSON: document, configuration: noObfuscation)
        #expect(waf.diagnostics.loadedRuleIDs == ["ok"])
        #expect(Set(waf.diagnostics.skippedRuleIDs) == ["future", "unknown"])
        #expect(waf.diagnostics.failedRuleIDs == ["badregex"])
        #expect(waf.diagnostics.rules?.warnings["unsupported operator version: 'sqli_detector@v9'"] == ["future"])
        #expect(waf.diagnostics.hasErrors)
    }
}
