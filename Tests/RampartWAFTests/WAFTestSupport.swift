@testable import RampartWAF

/// Builds a ruleset document around `rules` (JSON text of the array's elements) for tests.
func ruleset(_ rules: String, extra: String = "") -> String {
    #"{"version": "2.2", "metadata": {"rules_version": "test"}, "rules": [\#(rules)]\#(extra.isEmpty ? "" : ", " + extra)}"#
}

/// A one-condition rule.
func rule(
    _ id: String, type: String = "test", operator op: String = "match_regex", parameters: String,
    extra: String = ""
) -> String {
    #"{"id": "\#(id)", "name": "rule \#(id)", "tags": {"type": "\#(type)", "category": "attack_attempt"}, "conditions": [{"operator": "\#(op)", "parameters": {\#(parameters)}}]\#(extra.isEmpty ? "" : ", " + extra)}"#
}

func firedIDs(_ waf: WAF, _ data: [String: WAFValue], ephemeral: [String: WAFValue] = [:]) -> [String] {
    waf.makeContext().run(data, ephemeral: ephemeral, budget: .seconds(5)).events.map(\.rule.id).sorted()
}

let noObfuscation = WAFConfiguration(obfuscator: nil)
