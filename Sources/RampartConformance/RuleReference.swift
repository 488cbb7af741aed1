import Yams

/// What the ruleset says about one rule: the fields its events must echo.
struct RuleReference {
    struct Condition {
        /// Operator name without its `@vN` version suffix.
        var operatorName: String
        /// The regex, for `match_regex` conditions.
        var regex: String?
    }

    var id: String
    var name: String
    var type: String?
    var category: String?
    var onMatch: [String]
    var conditions: [Condition]

    /// Every rule of `rules` and `custom_rules`, by id.
    static func all(in ruleset: Node) -> [String: RuleReference] {
        var references: [String: RuleReference] = [:]
        for section in ["rules", "custom_rules"] {
            guard case .sequence(let rules)? = YAMLConversion.field(ruleset, section) else { continue }
            for rule in rules {
                guard let id = YAMLConversion.field(rule, "id").map(YAMLConversion.keyText) else { continue }
                let tags = YAMLConversion.field(rule, "tags")
                var onMatch: [String] = []
                if case .sequence(let actions)? = YAMLConversion.field(rule, "on_match") {
                    onMatch = actions.map(YAMLConversion.keyText)
                }
                var conditions: [Condition] = []
                if case .sequence(let conditionNodes)? = YAMLConversion.field(rule, "conditions") {
                    for condition in conditionNodes {
                        let fullName = YAMLConversion.field(condition, "operator").map(YAMLConversion.keyText) ?? ""
                        let name = String(fullName.split(separator: "@", maxSplits: 1).first ?? "")
                        let regex = YAMLConversion.field(condition, "parameters")
                            .flatMap { YAMLConversion.field($0, "regex") }.map(YAMLConversion.keyText)
                        conditions.append(Condition(operatorName: name, regex: name == "match_regex" ? regex : nil))
                    }
                }
                references[id] = RuleReference(
                    id: id, name: YAMLConversion.field(rule, "name").map(YAMLConversion.keyText) ?? "",
                    type: tags.flatMap { YAMLConversion.field($0, "type") }.map(YAMLConversion.keyText),
                    category: tags.flatMap { YAMLConversion.field($0, "category") }.map(YAMLConversion.keyText),
                    onMatch: onMatch, conditions: conditions)
            }
        }
        return references
    }
}
