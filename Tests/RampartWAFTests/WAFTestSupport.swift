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

/// SplitMix64: a small deterministic generator for randomized tests, so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
