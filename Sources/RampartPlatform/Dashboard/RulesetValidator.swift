import Foundation
import RampartWAF

/// Checks an uploaded custom ruleset before it is published to agents: it must compile in RampartWAF — the same
/// loader agents use — with no rule failing (an unknown operator, a regex a linear-time engine cannot run, a
/// missing field), so a ruleset that reaches agents loads there entirely.
enum RulesetValidator {
    struct Report: Sendable {
        var version: String
        var ruleCount: Int
        var summary: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func validate(_ text: String) throws -> Report {
        let waf: WAF
        do {
            waf = try WAF(rulesetJSON: text)
        } catch {
            throw Failure(description: "the ruleset does not load: \(error)")
        }
        let diagnostics = waf.diagnostics
        if diagnostics.hasErrors {
            var problems: [String] = []
            for (name, section) in [("rules", diagnostics.rules), ("custom_rules", diagnostics.customRules),
                                    ("rules_data", diagnostics.rulesData), ("exclusions", diagnostics.exclusions),
                                    ("rules_override", diagnostics.rulesOverride), ("actions", diagnostics.actions)] {
                guard let section else { continue }
                if let error = section.error { problems.append("\(name): \(error)") }
                for (message, ids) in section.errors.sorted(by: { $0.key < $1.key }) {
                    problems.append("\(name): \(message) (\(ids.joined(separator: ", ")))")
                }
            }
            throw Failure(description: "the ruleset has errors: " + problems.joined(separator: "; "))
        }
        let loaded = (diagnostics.rules?.loaded.count ?? 0) + (diagnostics.customRules?.loaded.count ?? 0)
        let declared = waf.rulesetVersion
        let version = declared.flatMap { $0.isEmpty ? nil : $0 } ?? "custom-\(Int(Date().timeIntervalSince1970))"
        guard version.utf8.count <= 100 else { throw Failure(description: "the ruleset version is longer than 100 characters") }
        return Report(version: version, ruleCount: loaded, summary: "\(loaded) rules compiled by RampartWAF, no errors")
    }
}
