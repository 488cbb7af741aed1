/// `rules_target` entries of overrides and exclusions: a rule id, or tags that must all be equal.
enum RuleTarget: Sendable, Hashable {
    case id(String)
    case tags([String: String])

    static func parse(_ values: [WAFValue]) throws(RulesetError) -> [RuleTarget] {
        var targets: [RuleTarget] = []
        for value in values {
            let object = try ConfigObject(value, name: "rules_target")
            if let id = try object.optionalString("rule_id") {
                targets.append(.id(id))
            } else if let tags = try object.stringMap("tags") {
                targets.append(.tags(tags))
            } else {
                throw RulesetError("rules_target entry has neither 'rule_id' nor 'tags'")
            }
        }
        return targets
    }

    func selects(_ rule: CompiledRule) -> Bool {
        switch self {
        case .id(let id): rule.id == id
        case .tags(let tags): tags.allSatisfy { rule.tags[$0.key] == $0.value }
        }
    }
}

/// `rules_override`: enable/disable rules or replace their `on_match`, by id or tags. Id overrides win over tag
/// overrides, as in libddwaf.
struct RuleOverride: Sendable {
    let targets: [RuleTarget]
    let enabled: Bool?
    let onMatch: [String]?

    var isByID: Bool { targets.allSatisfy { if case .id = $0 { true } else { false } } }

    static func parse(_ value: WAFValue?, diagnostics: inout RulesetDiagnostics.Section) -> [RuleOverride] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            diagnostics.error = "invalid type '\(value.typeName)' for key 'rules_override', expected 'array'"
            return []
        }
        var overrides: [RuleOverride] = []
        for (index, item) in items.enumerated() {
            let id = "index:\(index)"
            do throws(RulesetError) {
                let object = try ConfigObject(item, name: "rules_override")
                guard let targetValues = try object.optionalArray("rules_target"), !targetValues.isEmpty else {
                    throw RulesetError("rules_override without rules_target")
                }
                let targets = try RuleTarget.parse(targetValues)
                let enabled = try object.bool("enabled")
                let onMatch = try object.stringArray("on_match")
                guard enabled != nil || onMatch != nil else {
                    throw RulesetError("rules_override without side-effects")
                }
                overrides.append(RuleOverride(targets: targets, enabled: enabled, onMatch: onMatch))
                diagnostics.recordLoaded(id)
            } catch {
                diagnostics.recordFailure(id, error)
            }
        }
        return overrides
    }

    static func apply(_ overrides: [RuleOverride], to rules: inout [CompiledRule]) {
        let ordered = overrides.filter { !$0.isByID } + overrides.filter(\.isByID)
        for override in ordered {
            for index in rules.indices where override.targets.contains(where: { $0.selects(rules[index]) }) {
                if let enabled = override.enabled { rules[index].enabled = enabled }
                if let onMatch = override.onMatch { rules[index].onMatch = onMatch }
            }
        }
    }
}
