import Foundation
import Testing

@testable import RampartWAF

/// One walk per address with a merged regex set, shared transformer prefixes and the clean-value cache must give
/// exactly the results of evaluating each condition on its own. Each test rule has its own type: rules of one type
/// form a collection in which only the first match fires (libddwaf).
@Suite struct AddressScanTests {
    /// Four rules on one address: their regexes share one merged set; two read through `lowercase`.
    static let caseRules = ruleset(
        [
            rule(
                "folded", type: "folded", parameters: #""inputs": [{"address": "q"}], "regex": "attack""#,
                extra: #""transformers": ["lowercase"]"#),
            rule(
                "scoped-case", type: "scoped-case", parameters: #""inputs": [{"address": "q"}], "regex": "(?-i)abc""#,
                extra: #""transformers": ["lowercase"]"#),
            rule(
                "case-sensitive", type: "case-sensitive",
                parameters: #""inputs": [{"address": "q"}], "regex": "XYZ", "options": {"case_sensitive": true}"#,
                extra: #""transformers": ["lowercase"]"#),
            rule("plain", type: "plain", parameters: #""inputs": [{"address": "q"}], "regex": "plain[0-9]""#),
        ].joined(separator: ","))

    @Test func lowercaseIsSkippedOnlyForRegexesThatIgnoreCaseThroughout() throws {
        let waf = try WAF(rulesetJSON: Self.caseRules, configuration: noObfuscation)
        // Case-insensitive regex: decided on the raw text, reported on the lowercased one.
        let folded = waf.makeContext().run(["q": .string("An ATTACK here")], budget: .seconds(5))
        #expect(folded.events.map(\.rule.id) == ["folded"])
        #expect(folded.events.first?.ruleMatches.first?.parameters.first?.value == "an attack here")
        #expect(folded.events.first?.ruleMatches.first?.parameters.first?.highlight == ["attack"])
        // `(?-i)` switches case folding off inside the pattern: it must see the lowercased text.
        #expect(firedIDs(waf, ["q": .string("ABC")]) == ["scoped-case"])
        // A case-sensitive upper-case regex never matches lowercased text.
        #expect(firedIDs(waf, ["q": .string("XYZ")]) == [])
        #expect(firedIDs(waf, ["q": .string("xx plain7 ATTACK abc")]) == ["folded", "plain", "scoped-case"])
    }

    @Test func sharedTransformerPrefixesGiveEachChainItsOwnText() throws {
        let rules = ruleset(
            [
                rule(
                    "decoded", type: "decoded", parameters: #""inputs": [{"address": "q"}], "regex": "<script""#,
                    extra: #""transformers": ["urlDecodeUni"]"#),
                rule(
                    "decoded-nulls", type: "decoded-nulls", parameters: #""inputs": [{"address": "q"}], "regex": "select\\s+1""#,
                    extra: #""transformers": ["urlDecodeUni", "removeNulls"]"#),
                rule(
                    "decoded-lower-nulls", type: "decoded-lower-nulls", parameters: #""inputs": [{"address": "q"}], "regex": "(?-i)union""#,
                    extra: #""transformers": ["urlDecodeUni", "lowercase", "removeNulls"]"#),
                rule("raw-only", type: "raw-only", parameters: #""inputs": [{"address": "q"}], "regex": "%3c""#),
            ].joined(separator: ","))
        let waf = try WAF(rulesetJSON: rules, configuration: noObfuscation)
        #expect(firedIDs(waf, ["q": .string("%3Cscript>")]) == ["decoded", "raw-only"])
        #expect(firedIDs(waf, ["q": .string("sel%00ect 1")]) == ["decoded-nulls"])
        #expect(firedIDs(waf, ["q": .string("UN%00ION")]) == ["decoded-lower-nulls"])
        #expect(firedIDs(waf, ["q": .string("nothing here")]) == [])
    }

    @Test func cleanValueCacheNeverHidesAMatch() throws {
        let waf = try WAF(rulesetJSON: Self.caseRules, configuration: noObfuscation)
        // The same benign value twice (the second time from the cache), then in a map beside an attack.
        #expect(firedIDs(waf, ["q": .string("hello")]) == [])
        #expect(firedIDs(waf, ["q": .string("hello")]) == [])
        #expect(firedIDs(waf, ["q": .map([.init(key: "a", value: .string("hello")), .init(key: "b", value: .string("attack"))])]) == ["folded"])
        // "an attack" is walked after `folded` already matched, so it is not checked against `folded` there: it
        // must not be recorded clean, or the next request carrying it alone would be missed.
        #expect(firedIDs(waf, ["q": .array([.string("attack"), .string("an attack")])]) == ["folded"])
        #expect(firedIDs(waf, ["q": .string("an attack")]) == ["folded"])
    }

    @Test func cleanValueCacheStaysBounded() throws {
        let waf = try WAF(
            rulesetJSON: Self.caseRules, configuration: WAFConfiguration(obfuscator: nil, cleanValueCacheCapacity: 32))
        for index in 0..<2_000 { #expect(firedIDs(waf, ["q": .string("value \(index)")]) == []) }
        #expect(try #require(waf.cleanValues).count <= 32)
        #expect(firedIDs(waf, ["q": .string("value 7 attack")]) == ["folded"])
        let disabled = try WAF(
            rulesetJSON: Self.caseRules, configuration: WAFConfiguration(obfuscator: nil, cleanValueCacheCapacity: 0))
        #expect(disabled.cleanValues == nil)
    }

    /// The whole request corpus through the default ruleset, twice with the cache (the second pass answered
    /// largely from it) and once without: the same rules fire for every request.
    @Test func corpusResultsAreTheSameWithAndWithoutTheCache() throws {
        guard let corpus = LibddwafOracle.corpus else {
            if LibddwafOracle.isCI { Issue.record("../shared/corpus/requests-dev.jsonl is missing") }
            return
        }
        let requests = try CorpusRequest.parse(jsonLines: [UInt8](Data(contentsOf: corpus)))
        #expect(requests.count > 1000)
        let cached = try WAF(rulesetJSON: DefaultRuleset.json)
        let uncached = try WAF(rulesetJSON: DefaultRuleset.json, configuration: WAFConfiguration(cleanValueCacheCapacity: 0))
        var fired = 0
        for pass in 0..<2 {
            for request in requests {
                let expected = firedIDs(uncached, request.addresses)
                #expect(firedIDs(cached, request.addresses) == expected, "request \(request.id), pass \(pass)")
                if !expected.isEmpty { fired += 1 }
            }
        }
        #expect(fired > 500)
        #expect(try #require(cached.cleanValues).count > 0)
    }
}
