/// `exclusions`: filters that bypass or downgrade rules (rule filters) or hide parts of the request from them
/// (input filters), optionally only once their own conditions matched.
struct CompiledExclusion: Sendable {
    enum Mode: Sendable, Hashable {
        /// Targeted rules are not evaluated.
        case bypass
        /// Targeted rules are evaluated but never block.
        case monitor
        /// Targeted rules apply this action instead of their own.
        case custom(String)
    }

    let id: String
    /// Empty: every rule.
    let targets: [RuleTarget]
    /// Flat condition ids (into `CompiledRuleset.conditions`); empty: always active.
    var conditionIDs: [Int]
    /// Input filters: the objects hidden from the targeted rules. nil for rule filters.
    let excludedInputs: [ConditionInput]?
    let mode: Mode

    func targets(_ rule: CompiledRule) -> Bool {
        targets.isEmpty || targets.contains { $0.selects(rule) }
    }
}

struct ExclusionParser {
    let ruleParser: RuleParser

    func parse(_ value: WAFValue?, diagnostics: inout RulesetDiagnostics.Section)
        -> [(CompiledExclusion, [CompiledCondition])]
    {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            diagnostics.error = "invalid type '\(value.typeName)' for key 'exclusions', expected 'array'"
            return []
        }
        var exclusions: [(CompiledExclusion, [CompiledCondition])] = []
        for (index, item) in items.enumerated() {
            var id = "index:\(index)"
            do throws(RulesetError) {
                let object = try ConfigObject(item, name: "exclusion")
                id = try object.string("id")
                let targets = try RuleTarget.parse(object.optionalArray("rules_target") ?? [])
                var conditions: [CompiledCondition] = []
                for conditionValue in try object.optionalArray("conditions") ?? [] {
                    conditions.append(
                        try ruleParser.parseCondition(conditionValue, ruleID: id, ruleChain: (.values, .empty)))
                }
                var excludedInputs: [ConditionInput]?
                if let inputValues = try object.optionalArray("inputs") {
                    excludedInputs = try ruleParser.parseInputs(inputValues, key: "inputs", ruleChain: (.values, .empty))
                }
                let mode: CompiledExclusion.Mode
                switch try object.optionalString("on_match") {
                case nil, "bypass"?: mode = .bypass
                case "monitor"?: mode = .monitor
                case let action?: mode = .custom(action)
                }
                if excludedInputs != nil && mode != .bypass {
                    throw RulesetError("input exclusions only support 'bypass'")
                }
                let exclusion = CompiledExclusion(
                    id: id, targets: targets, conditionIDs: [], excludedInputs: excludedInputs, mode: mode)
                exclusions.append((exclusion, conditions))
                diagnostics.recordLoaded(id)
            } catch {
                diagnostics.recordFailure(id, error)
            }
        }
        return exclusions
    }
}
