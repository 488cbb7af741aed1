import Foundation
import Testing
@testable import RampartWAF

@Suite("SecLang parsing")
struct SecLangParserTests {
    @Test func joinsContinuationLinesAndSkipsComments() {
        let text = """
        # a comment
        SecRule ARGS "@rx a\\"b" \\
            "id:1,\\
            phase:2,\\
            msg:'one, two',\\
            t:none,t:lowercase"

        SecMarker "END"
        """
        let directives = SecLangParser.parse(text, file: "x.conf")
        #expect(directives.count == 2)
        guard case .rule(let variables, let op, let actions) = directives[0].kind else {
            Issue.record("expected a rule")
            return
        }
        #expect(variables == "ARGS")
        #expect(op == "@rx a\"b")
        #expect(actions.map(\.name) == ["id", "phase", "msg", "t", "t"])
        #expect(actions[2].value == "one, two")
        #expect(directives[0].line == 2)
        #expect(directives[1].kind == .marker("END"))
    }

    @Test func keepsBackslashesThatAreNotQuoteEscapes() {
        let words = SecLangParser.splitWords(#"SecRule ARGS "@rx [\\\\'\"]\d" "id:2""#)
        #expect(words == ["SecRule", "ARGS", #"@rx [\\\\'"]\d"#, "id:2"])
    }

    @Test func unterminatedQuoteAndGarbageAreData() {
        let directives = SecLangParser.parse("SecRule ARGS \"@rx (\nSecFoo bar\n\\", file: "bad.conf")
        #expect(directives.count == 2)  // a lone trailing backslash continues into nothing
        if case .rule(_, let op, _) = directives[0].kind { #expect(op == "@rx (") } else { Issue.record("expected a rule") }
        if case .other(let name) = directives[1].kind { #expect(name == "SecFoo") } else { Issue.record("expected other") }
    }
}

@Suite("CRS importer")
struct CRSImporterTests {
    private func convert(_ conf: String, file: String = "REQUEST-942-APPLICATION-ATTACK-SQLI.conf",
                         data: [String: String] = [:], paranoia: Int = 1) -> (CRSImporter.Conversion, [[String: Any]]) {
        let result = CRSImporter(options: .init(paranoiaLevel: paranoia)).convert(confFiles: [(file, conf)], dataFiles: data)
        let document = (try? JSONSerialization.jsonObject(with: Data(result.rulesetJSON.utf8))) as? [String: Any]
        return (result, document?["rules"] as? [[String: Any]] ?? [])
    }

    private func condition(_ rule: [String: Any], _ index: Int = 0) -> [String: Any] {
        let conditions = (rule["conditions"] as? [[String: Any]]) ?? []
        return index < conditions.count ? conditions[index] : [:]
    }

    private func inputs(_ condition: [String: Any]) -> [[String: Any]] {
        ((condition["parameters"] as? [String: Any])?["inputs"] as? [[String: Any]]) ?? []
    }

    @Test func mapsDetectSQLiOnArgsWithTransformations() throws {
        let (result, rules) = convert("""
        SecRule REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|REQUEST_COOKIES_NAMES|ARGS_NAMES|ARGS|XML:/* "@detectSQLi" \\
            "id:942100,phase:2,block,t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,msg:'SQL Injection Attack Detected via libinjection',tag:'paranoia-level/1'"
        """)
        #expect(result.importedRuleIDs == ["942100"])
        let rule = try #require(rules.first)
        #expect(rule["id"] as? String == "crs-942100")
        #expect(rule["name"] as? String == "SQL Injection Attack Detected via libinjection")
        #expect((rule["tags"] as? [String: String])?["type"] == "sql_injection")
        #expect((rule["tags"] as? [String: String])?["crs_id"] == "942100")
        #expect(condition(rule)["operator"] as? String == "is_sqli")
        let addresses = inputs(condition(rule)).compactMap { $0["address"] as? String }
        #expect(addresses == ["server.request.cookies", "server.request.cookies", "server.request.query", "server.request.body",
                              "server.request.query", "server.request.body", "server.request.path_params"])
        let cookieNames = inputs(condition(rule))[1]
        #expect(cookieNames["transformers"] as? [String] == ["keys_only", "url_decode_iis", "remove_nulls"])
        #expect(result.approximations.contains { $0.note.contains("!REQUEST_COOKIES:/__utm/") })
    }

    @Test func mapsHeaderSelectorsAndPhraseFiles() throws {
        let (_, rules) = convert("""
        SecRule REQUEST_HEADERS:User-Agent "@pmFromFile scanners-user-agents.data" "id:913100,phase:1,block,t:none,t:lowercase,tag:'paranoia-level/1'"
        """, file: "REQUEST-913-SCANNER-DETECTION.conf", data: ["scanners-user-agents.data": "# comment\nNikto\n\nsqlmap\n"])
        try #require(rules.count == 1)
        let parameters = condition(rules[0])["parameters"] as? [String: Any]
        #expect(condition(rules[0])["operator"] as? String == "phrase_match")
        #expect(parameters?["list"] as? [String] == ["nikto", "sqlmap"])
        let input = inputs(condition(rules[0]))[0]
        #expect(input["address"] as? String == "server.request.headers.no_cookies")
        #expect(input["key_path"] as? [String] == ["user-agent"])
        #expect(input["transformers"] as? [String] == ["lowercase"])
    }

    @Test func mapsStringOperatorsToEscapedRegexes() throws {
        let (_, rules) = convert("""
        SecRule REQUEST_FILENAME "@endsWith /a.php" "id:1,block"
        SecRule REQUEST_METHOD "!@within GET HEAD" "id:2,block"
        SecRule ARGS "@contains (x)" "id:3,block"
        SecRule ARGS "@streq a+b" "id:4,block"
        """, file: "REQUEST-920-PROTOCOL-ENFORCEMENT.conf")
        try #require(rules.count == 4)
        let regexes = rules.map { (condition($0)["parameters"] as? [String: Any])?["regex"] as? String }
        #expect(regexes == [#"/a\.php$"#, "^(?:GET|HEAD)$", #"\(x\)"#, #"^a\+b$"#])
        #expect(condition(rules[1])["operator"] as? String == "!match_regex")
        #expect(inputs(condition(rules[0]))[0]["transformers"] as? [String] == ["url_path"])
    }

    @Test func chainsBecomeConditionsAndStateChainsAreSkipped() throws {
        let (result, rules) = convert("""
        SecRule REQUEST_METHOD "@streq POST" "id:10,block,chain"
            SecRule ARGS "@rx union" "t:none,t:lowercase"
        SecRule ARGS "@rx x" "id:11,block,chain"
            SecRule TX:SCORE "@gt 5" ""
        """)
        #expect(result.importedRuleIDs == ["10"])
        try #require(rules.count == 1)
        #expect((rules[0]["conditions"] as? [[String: Any]])?.count == 2)
        #expect(inputs(condition(rules[0], 1))[0]["transformers"] as? [String] == ["lowercase"])
        #expect(result.skipped.map(\.ruleID) == ["11"])
        #expect(result.skipped.first?.reason.contains("TX:SCORE") == true)
    }

    @Test func honoursParanoiaLevelAndSkipsBookkeeping() {
        let conf = """
        SecRule TX:EXECUTING_PARANOIA_LEVEL "@lt 2" "id:942013,phase:1,pass,nolog,skipAfter:END"
        SecRule ARGS "@rx a" "id:942200,block,tag:'paranoia-level/2'"
        SecRule ARGS "@rx b" "id:942300,block,tag:'paranoia-level/3'"
        SecMarker "END"
        """
        let (pl1, _) = convert(conf)
        #expect(pl1.importedRuleIDs.isEmpty)
        #expect(pl1.aboveParanoiaLevel == ["942200", "942300"])
        #expect(pl1.bookkeeping == ["942013"])
        let (pl2, _) = convert(conf, paranoia: 2)
        #expect(pl2.importedRuleIDs == ["942200"])
        let (_, none) = convert(#"SecAction "id:900000,phase:1,pass,setvar:tx.paranoia_level=1""#, file: "crs-setup.conf")
        #expect(none.isEmpty)
    }

    @Test func reportsWhatCannotBeMapped() {
        let (result, _) = convert("""
        SecRule ARGS "@rx (?=a)b" "id:20,block"
        SecRule ARGS "@validateByteRange 1-255" "id:21,block"
        SecRule &ARGS "@gt 10" "id:22,block"
        SecRule ARGS "@rx a" "id:23,block,t:none,t:sha1"
        SecRule ARGS "@pmFromFile missing.data" "id:24,block"
        SecRule ARGS "@rx %{tx.allowed}" "id:25,block"
        """)
        let reasons = Dictionary(uniqueKeysWithValues: result.skipped.map { ($0.ruleID, $0.reason) })
        #expect(reasons["20"]?.contains("linear-time") == true)
        #expect(reasons["21"]?.contains("@validateByteRange") == true)
        #expect(reasons["22"]?.contains("&ARGS") == true)
        #expect(reasons["23"]?.contains("t:sha1") == true)
        #expect(reasons["24"]?.contains("missing.data") == true)
        #expect(reasons["25"]?.contains("macro") == true)
        #expect(result.importedRuleIDs.isEmpty)
    }

    /// The real CRS 3.3.4 files from Debian's `modsecurity-crs` package (CI installs it).
    @Test func importsTheInstalledCoreRuleSet() throws {
        let directory = "/usr/share/modsecurity-crs/rules"
        guard FileManager.default.fileExists(atPath: directory) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("modsecurity-crs is not installed in CI") }
            return
        }
        var confFiles: [(name: String, contents: String)] = []
        var dataFiles: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            if name.hasSuffix(".conf") { confFiles.append((name, text)) }
            if name.hasSuffix(".data") { dataFiles[name] = text }
        }
        let result = CRSImporter(options: .init(paranoiaLevel: 1)).convert(confFiles: confFiles, dataFiles: dataFiles)
        // CRS 3.3.4 at paranoia level 1 has about 150 detection rules; most must come across (97 did when this was written).
        #expect(result.importedRuleIDs.count >= 90, "imported \(result.importedRuleIDs.count)")
        #expect(result.importedRuleIDs.contains("942100"))  // @detectSQLi
        #expect(result.importedRuleIDs.contains("941100"))  // @detectXSS
        #expect(result.importedRuleIDs.contains("913100"))  // scanner user agents from a data file
        #expect(result.skipped.allSatisfy { !$0.reason.isEmpty })
        // The import must load in Rampart's engine without a single failed rule: every imported rule runs.
        let waf = try WAF(rulesetJSON: Array(result.rulesetJSON.utf8))
        #expect(waf.diagnostics.failedRuleIDs.isEmpty, "failed: \(waf.diagnostics.failedRuleIDs)")
        #expect(!waf.diagnostics.hasErrors)
        #expect(Set(waf.ruleIDs) == Set(result.importedRuleIDs.map { "crs-" + $0 }))
        let all = CRSImporter(options: .init(paranoiaLevel: 4)).convert(confFiles: confFiles, dataFiles: dataFiles)
        #expect(all.importedRuleIDs.count > result.importedRuleIDs.count)
        let wafAllLevels = try WAF(rulesetJSON: Array(all.rulesetJSON.utf8))
        #expect(wafAllLevels.diagnostics.failedRuleIDs.isEmpty, "failed: \(wafAllLevels.diagnostics.failedRuleIDs)")
        #expect(Set(wafAllLevels.ruleIDs) == Set(all.importedRuleIDs.map { "crs-" + $0 }))
    }
}
