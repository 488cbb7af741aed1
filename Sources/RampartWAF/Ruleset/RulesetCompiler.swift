/// Turns a ruleset document's sections into a `CompiledRuleset`: parses every section with diagnostics, applies
/// overrides, orders rules as libddwaf does and builds the scan groups used for evaluation.
struct RulesetCompiler {
    let limits: WAFLimits
    let artifacts: CompiledArtifacts

    /// Sections a document may carry; an update replaces the sections it contains.
    static let sectionNames: Set<String> = [
        "version", "metadata", "rules", "custom_rules", "rules_data", "exclusions", "actions", "rules_override",
        "processors", "scanners", "exclusion_data", "processor_overrides", "rules_compat",
    ]

    func compile(_ sections: [String: WAFValue]) -> (CompiledRuleset, RulesetDiagnostics) {
        var diagnostics = RulesetDiagnostics()
        if case .map(let metadata)? = sections["metadata"],
            case .string(let version)? = metadata.first(where: { $0.key == "rules_version" })?.value
        {
            diagnostics.rulesetVersion = version
        }
        let addresses = AddressTable()

        var dataDiagnostics = RulesetDiagnostics.Section()
        let rulesData = RulesDataStore.parse(sections["rules_data"], diagnostics: &dataDiagnostics)
        if sections["rules_data"] != nil { diagnostics.rulesData = dataDiagnostics }

        var actionDiagnostics = RulesetDiagnostics.Section()
        let actions = ActionParser.parse(sections["actions"], diagnostics: &actionDiagnostics)
        if sections["actions"] != nil { diagnostics.actions = actionDiagnostics }

        let parser = RuleParser(addresses: addresses, rulesData: rulesData, artifacts: artifacts, limits: limits)
        var rules: [CompiledRule] = []
        var seenIDs: Set<String> = []
        // `rules_compat` holds base rules for newer engines (gated by `min_version`); libddwaf adds them to the
        // base rules after `rules`.
        for (key, source) in [("rules", RuleSource.base), ("rules_compat", .base), ("custom_rules", .user)] {
            guard let value = sections[key] else { continue }
            var section = RulesetDiagnostics.Section()
            if case .array(let items) = value {
                for (index, item) in items.enumerated() {
                    let id = (try? ConfigObject(item, name: "rule").string("id")) ?? "index:\(index)"
                    if seenIDs.contains(id) {
                        section.recordFailure(id, RulesetError("duplicate rule"))
                        continue
                    }
                    do throws(RulesetError) {
                        rules.append(try parser.parseRule(item, source: source))
                        seenIDs.insert(id)
                        section.recordLoaded(id)
                    } catch {
                        section.recordFailure(id, error)
                    }
                }
            } else {
                section.error = "invalid type '\(value.typeName)' for key '\(key)', expected 'array'"
            }
            switch key {
            case "rules": diagnostics.rules = section
            case "rules_compat": diagnostics.rulesCompat = section
            default: diagnostics.customRules = section
            }
        }

        var overrideDiagnostics = RulesetDiagnostics.Section()
        let overrides = RuleOverride.parse(sections["rules_override"], diagnostics: &overrideDiagnostics)
        if sections["rules_override"] != nil { diagnostics.rulesOverride = overrideDiagnostics }
        RuleOverride.apply(overrides, to: &rules)

        var exclusionDiagnostics = RulesetDiagnostics.Section()
        let parsedExclusions = ExclusionParser(ruleParser: parser)
            .parse(sections["exclusions"], diagnostics: &exclusionDiagnostics)
        if sections["exclusions"] != nil { diagnostics.exclusions = exclusionDiagnostics }

        for key in ["processors", "scanners"] {
            guard let value = sections[key] else { continue }
            var section = RulesetDiagnostics.Section()
            if case .array(let items) = value {
                for (index, item) in items.enumerated() {
                    let id = (try? ConfigObject(item, name: key).string("id")) ?? "index:\(index)"
                    // Accepted so rulesets carrying them load; Rampart does not run processors or scanners yet.
                    section.recordFailure(id, RulesetError("\(key) are not supported by this engine", skip: true))
                }
            } else {
                section.error = "invalid type '\(value.typeName)' for key '\(key)', expected 'array'"
            }
            if key == "processors" { diagnostics.processors = section } else { diagnostics.scanners = section }
        }

        let ordered = Self.evaluationOrder(rules, actions: actions)
        let ruleset = CompiledRuleset(
            rules: ordered.rules, verdicts: ordered.verdicts, plans: ordered.plans, exclusions: parsedExclusions,
            addresses: addresses, actions: actions, limits: limits, artifacts: artifacts)
        return (ruleset, diagnostics)
    }

    /// A rule blocks when one of its actions is blocking.
    static func verdict(of rule: CompiledRule, actions: [String: WAFAction]) -> RuleVerdict {
        rule.onMatch.contains { actions[$0]?.isBlocking ?? false } ? .block : .monitor
    }

    /// libddwaf's order: by module; inside a module blocking rules first, then custom before base rules (base
    /// first in ACL and RASP modules), then by `type` where rules are grouped by type. Rules equal on all of
    /// these keep the relative order libddwaf gives them (see `LibddwafRuleOrder`), which decides which rule of
    /// a type is reported when several match. Disabled rules are left out, as in libddwaf.
    static func evaluationOrder(_ rules: [CompiledRule], actions: [String: WAFAction])
        -> (rules: [CompiledRule], verdicts: [RuleVerdict], plans: [ModulePlan])
    {
        // libddwaf reads base and custom rules back from two id-keyed hash tables.
        var candidates: [(rule: CompiledRule, verdict: RuleVerdict)] = []
        for source in [RuleSource.base, .user] {
            let members = rules.filter { $0.source == source }
            for index in LibddwafRuleOrder.hashTableIterationOrder(members.map(\.id)) where members[index].enabled {
                candidates.append((members[index], verdict(of: members[index], actions: actions)))
            }
        }
        var orderedRules: [CompiledRule] = []
        var verdicts: [RuleVerdict] = []
        var plans: [ModulePlan] = []
        var collectionNameIDs: [String: Int] = [:]
        for module in RuleModule.allCases {
            var members = candidates.filter { $0.rule.module == module }
            guard !members.isEmpty else { continue }
            LibddwafRuleOrder.sort(&members) { left, right in
                if left.verdict != right.verdict { return left.verdict > right.verdict }
                if left.rule.source != right.rule.source {
                    return module.baseRulesFirst ? left.rule.source == .base : left.rule.source == .user
                }
                guard module.groupsByType else { return false }
                return left.rule.type.utf8.lexicographicallyPrecedes(right.rule.type.utf8)
            }
            let start = orderedRules.count
            var collections: [RuleCollection] = []
            for (position, member) in members.enumerated() {
                let index = start + position
                orderedRules.append(member.rule)
                verdicts.append(member.verdict)
                guard module.groupsByType else { continue }
                if let last = collections.last, last.name == member.rule.type {
                    collections[collections.count - 1].range = last.range.lowerBound..<(index + 1)
                } else {
                    let nameID = collectionNameIDs[member.rule.type] ?? collectionNameIDs.count
                    collectionNameIDs[member.rule.type] = nameID
                    collections.append(
                        RuleCollection(
                            name: member.rule.type, nameID: nameID, verdict: member.verdict, range: index..<(index + 1)))
                }
            }
            plans.append(ModulePlan(module: module, range: start..<orderedRules.count, collections: collections))
        }
        return (orderedRules, verdicts, plans)
    }
}

/// The rules of one module, as a range of `CompiledRuleset.rules`, and its type collections (WAF module only).
struct ModulePlan: Sendable {
    let module: RuleModule
    let range: Range<Int>
    let collections: [RuleCollection]
}

/// Consecutive rules of one type and verdict: the first that matches wins; the collection is then done for the
/// context (by type name, for verdicts up to the one matched).
struct RuleCollection: Sendable {
    let name: String
    /// `name` as a dense number, so a context tracks collection verdicts in an array rather than by string.
    let nameID: Int
    let verdict: RuleVerdict
    var range: Range<Int>
}
