/// The immutable, evaluation-ready form of a ruleset: rules in evaluation order, a flat table of conditions,
/// and the scan groups that let each value be transformed and scanned once for all conditions reading it.
final class CompiledRuleset: Sendable {
    let rules: [CompiledRule]
    let verdicts: [RuleVerdict]
    let plans: [ModulePlan]
    let exclusions: [CompiledExclusion]
    /// Every condition of every rule, then of every exclusion.
    let conditions: [CompiledCondition]
    /// Flat condition ids of each rule, in the rule's order.
    let ruleConditionIDs: [[Int]]
    /// Address ids each rule reads.
    let ruleAddressIDs: [[Int]]
    let addressNames: [String]
    let addressIDs: [String: Int]
    let actions: [String: WAFAction]
    let limits: WAFLimits
    let scanGroups: [ScanGroup]
    /// For each flat condition and input position: the scan group and member slot, when grouped.
    let groupSlots: [[ScanGroup.Slot?]]
    /// Scan groups gathered by the place they read: one walk of a value serves every group of an address scan.
    let addressScans: [AddressScan]
    /// For each scan group: its address scan.
    let addressScanOfGroup: [Int]
    /// Which exclusions target each rule (indices into `exclusions`).
    let ruleExclusions: [[Int]]
    /// Where each condition's inputs start in a flat per-input table (contexts keep one such table).
    let inputOffsets: [Int]
    let inputCount: Int
    /// Per rule: every condition is a scalar operator whose inputs are all served by address scans, and no
    /// exclusion targets the rule. Such a rule is decided from the scans' hits alone ("hit-driven"): it costs a
    /// few flag checks unless all its conditions matched — the usual case is that none did.
    let hitDrivenRules: [Bool]
    /// Per flat condition: belongs to a hit-driven rule (its hits come from scans, not from `conditionSeen`).
    let hitDrivenConditions: [Bool]
    /// Per hit-driven rule: the address scans its conditions read, deduplicated (empty for other rules).
    let ruleScans: [[Int]]
    /// Per hit-driven condition and input: the address scan serving the input (empty for other conditions).
    let conditionInputScans: [[Int]]
    /// Per rule: the required-argument address lists of its first condition when that is a structured operator
    /// (see `CompiledCondition.requiredArgumentAddresses`), else empty. Checking them first is exactly what
    /// evaluating the condition would find first, without the per-condition bookkeeping.
    let ruleOpeningGates: [[[Int]]]
    /// Per address scan: the address it reads.
    let scanAddressIDs: [Int]
    /// Per address scan and flat member (see `AddressScan.memberOffsets`): the condition and input it serves.
    let scanMemberInputs: [[(conditionID: Int, inputIndex: Int)]]
    /// Distinct rule collection names (see `RuleCollection.nameID`).
    let collectionNameCount: Int

    init(
        rules: [CompiledRule], verdicts: [RuleVerdict], plans: [ModulePlan],
        exclusions parsed: [(CompiledExclusion, [CompiledCondition])], addresses: AddressTable,
        actions: [String: WAFAction], limits: WAFLimits, artifacts: CompiledArtifacts
    ) {
        self.rules = rules
        self.verdicts = verdicts
        self.plans = plans
        self.actions = actions
        self.limits = limits
        var conditions: [CompiledCondition] = []
        var ruleConditionIDs: [[Int]] = []
        for rule in rules {
            let base = conditions.count
            conditions.append(contentsOf: rule.conditions)
            ruleConditionIDs.append(Array(base..<conditions.count))
        }
        var exclusions: [CompiledExclusion] = []
        for (exclusion, exclusionConditions) in parsed {
            var compiled = exclusion
            let base = conditions.count
            conditions.append(contentsOf: exclusionConditions)
            compiled.conditionIDs = Array(base..<conditions.count)
            exclusions.append(compiled)
        }
        self.conditions = conditions
        self.exclusions = exclusions
        self.ruleConditionIDs = ruleConditionIDs
        ruleAddressIDs = rules.map { Array($0.addressIDs).sorted() }
        addressNames = addresses.names
        addressIDs = addresses.ids
        ruleExclusions = rules.map { rule in
            exclusions.indices.filter { exclusions[$0].targets(rule) }
        }
        (scanGroups, groupSlots, addressScans, addressScanOfGroup) = ScanGroup.build(
            conditions: conditions, artifacts: artifacts)
        var offsets: [Int] = []
        var total = 0
        for condition in conditions {
            offsets.append(total)
            total += condition.inputs.count
        }
        inputOffsets = offsets
        inputCount = total

        let ruleCount = rules.count
        var hitDrivenRules = Array(repeating: false, count: ruleCount)
        var hitDrivenConditions = Array(repeating: false, count: conditions.count)
        var ruleScans = Array(repeating: [Int](), count: ruleCount)
        for rule in 0..<ruleCount where ruleExclusions[rule].isEmpty {
            var scans: [Int] = []
            var eligible = !ruleConditionIDs[rule].isEmpty
            for conditionID in ruleConditionIDs[rule] where eligible {
                guard conditions[conditionID].isScalar else {
                    eligible = false
                    break
                }
                for slot in groupSlots[conditionID] {
                    guard let slot else {
                        eligible = false
                        break
                    }
                    let scan = addressScanOfGroup[slot.group]
                    if !scans.contains(scan) { scans.append(scan) }
                }
            }
            guard eligible else { continue }
            hitDrivenRules[rule] = true
            ruleScans[rule] = scans
            for conditionID in ruleConditionIDs[rule] { hitDrivenConditions[conditionID] = true }
        }
        self.hitDrivenRules = hitDrivenRules
        self.hitDrivenConditions = hitDrivenConditions
        self.ruleScans = ruleScans
        ruleOpeningGates = ruleConditionIDs.map { conditionIDs in
            conditionIDs.first.map { conditions[$0].requiredArgumentAddresses } ?? []
        }
        let slots = groupSlots
        let scanOfGroup = addressScanOfGroup
        conditionInputScans = conditions.indices.map { conditionID in
            guard hitDrivenConditions[conditionID] else { return [] }
            return slots[conditionID].map { slot in slot.map { scanOfGroup[$0.group] } ?? 0 }
        }
        scanAddressIDs = addressScans.map(\.input.addressID)
        let groups = scanGroups
        scanMemberInputs = addressScans.map { scan in
            scan.groupIDs.flatMap { group in
                groups[group].members.map { ($0.conditionID, $0.inputIndex) }
            }
        }
        collectionNameCount = (plans.flatMap { $0.collections.map(\.nameID) }.max() ?? -1) + 1
    }

    /// Addresses some rule or exclusion reads.
    var requiredAddresses: Set<String> {
        Set(conditions.flatMap { $0.inputs.map(\.address) })
    }
}
