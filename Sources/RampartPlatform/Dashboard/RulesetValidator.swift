import Foundation

/// Checks an uploaded custom ruleset before it is published to agents.
///
/// Gap: this validates the document's shape (libddwaf format: `version`, a non-empty `rules` array whose rules
/// have `id`, `name`, `tags.type` and `conditions` with an `operator` and `parameters.inputs`). Compiling the
/// rules with RampartWAF's loader (`WAF(rulesetJSON:)` and its diagnostics, branch `waf-core`) replaces this once
/// that loader is on main, so that operators and regexes are checked too.
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
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure(description: "the ruleset is not a JSON object")
        }
        guard let rules = object["rules"] as? [Any], !rules.isEmpty else {
            throw Failure(description: "the ruleset has no \"rules\" array (or it is empty)")
        }
        var seen = Set<String>()
        for (index, element) in rules.enumerated() {
            guard let rule = element as? [String: Any] else { throw Failure(description: "rules[\(index)] is not an object") }
            guard let id = rule["id"] as? String, !id.isEmpty else { throw Failure(description: "rules[\(index)]: missing string field \"id\"") }
            guard seen.insert(id).inserted else { throw Failure(description: "rule \(id): duplicate id") }
            guard rule["name"] is String else { throw Failure(description: "rule \(id): missing string field \"name\"") }
            guard let tags = rule["tags"] as? [String: Any], tags["type"] is String else {
                throw Failure(description: "rule \(id): missing \"tags.type\" (the rule's category)")
            }
            guard let conditions = rule["conditions"] as? [Any], !conditions.isEmpty else {
                throw Failure(description: "rule \(id): missing non-empty \"conditions\"")
            }
            for (conditionIndex, element) in conditions.enumerated() {
                guard let condition = element as? [String: Any], condition["operator"] is String,
                    let parameters = condition["parameters"] as? [String: Any], let inputs = parameters["inputs"] as? [Any], !inputs.isEmpty
                else {
                    throw Failure(description: "rule \(id): conditions[\(conditionIndex)] needs \"operator\" and \"parameters.inputs\"")
                }
            }
        }
        let metadata = object["metadata"] as? [String: Any]
        let declared = (metadata?["rules_version"] as? String) ?? (object["version"] as? String)
        let version = declared.flatMap { $0.isEmpty ? nil : $0 } ?? "custom-\(Int(Date().timeIntervalSince1970))"
        guard version.utf8.count <= 100 else { throw Failure(description: "the ruleset version is longer than 100 characters") }
        return Report(
            version: version, ruleCount: rules.count,
            summary: "\(rules.count) rules, shape checked (compile check pending RampartWAF loader)")
    }
}
