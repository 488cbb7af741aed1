/// Conditions reading the same address, key path, transformers and data source form a scan group: each value
/// is transformed once and checked by one batched pass per matcher kind (a `RegexSet` for every regex of the
/// group), and only candidates are confirmed — instead of one full pass per rule as in libddwaf.
final class ScanGroup: Sendable {
    struct Slot: Sendable, Hashable {
        let group: Int
        let member: Int
    }

    struct Member: Sendable {
        let conditionID: Int
        let inputIndex: Int
        let matcher: any ScalarMatcher
    }

    struct Batch: Sendable {
        let scanner: any BatchScanner
        /// Member index for each matcher position in the scanner.
        let members: [Int]
    }

    let input: ConditionInput
    let members: [Member]
    /// Members whose regex the group's `AddressScan` checks in its merged regex set (excluded from `batches`).
    let mergedRegexMembers: [Int]
    let batches: [Batch]
    /// String-reading members checked one by one.
    let singles: [Int]
    /// Members reading non-string scalars.
    let scalarReaders: [Int]

    private struct Key: Hashable {
        let addressID: Int
        let keyPath: [KeyPathComponent]
        let transformers: TransformerChain
        let source: DataSource
    }

    /// Groups the scalar conditions, then gathers the groups by address, key path and data source into address
    /// scans (one walk of a value for all of them).
    static func build(conditions: [CompiledCondition], artifacts: CompiledArtifacts)
        -> (groups: [ScanGroup], slots: [[Slot?]], scans: [AddressScan], scanOfGroup: [Int])
    {
        var keys: [Key: Int] = [:]
        var inputs: [ConditionInput] = []
        var members: [[Member]] = []
        var slots: [[Slot?]] = []
        for (conditionID, condition) in conditions.enumerated() {
            guard case .scalar(let matcher) = condition.kind else {
                slots.append(Array(repeating: nil, count: condition.inputs.count))
                continue
            }
            var conditionSlots: [Slot?] = []
            for (inputIndex, input) in condition.inputs.enumerated() {
                let key = Key(
                    addressID: input.addressID, keyPath: input.keyPath, transformers: input.transformers,
                    source: input.source)
                let group: Int
                if let existing = keys[key] {
                    group = existing
                } else {
                    group = inputs.count
                    keys[key] = group
                    inputs.append(input)
                    members.append([])
                }
                conditionSlots.append(Slot(group: group, member: members[group].count))
                members[group].append(Member(conditionID: conditionID, inputIndex: inputIndex, matcher: matcher))
            }
            slots.append(conditionSlots)
        }
        // Groups reading the same place (address, key path, source) in order of first appearance.
        var scanKeys: [AddressScan.Key: Int] = [:]
        var scanGroupLists: [[Int]] = []
        var scanOfGroup: [Int] = []
        for input in inputs {
            let key = AddressScan.Key(addressID: input.addressID, keyPath: input.keyPath, source: input.source)
            let scan: Int
            if let existing = scanKeys[key] {
                scan = existing
            } else {
                scan = scanGroupLists.count
                scanKeys[key] = scan
                scanGroupLists.append([])
            }
            scanOfGroup.append(scan)
            scanGroupLists[scan].append(scanOfGroup.count - 1)
        }
        let merged = scanGroupLists.map { groupIDs in
            AddressScan.MergedRegexes(groups: groupIDs.map { (inputs[$0], members[$0]) }, artifacts: artifacts)
        }
        var groups: [ScanGroup] = []
        for (index, input) in inputs.enumerated() {
            let scan = scanOfGroup[index]
            let local = scanGroupLists[scan].firstIndex(of: index) ?? 0
            groups.append(
                ScanGroup(
                    input: input, members: members[index],
                    mergedRegexMembers: merged[scan]?.membersByGroup[local] ?? [], artifacts: artifacts))
        }
        let scans = scanGroupLists.enumerated().map { scan, groupIDs in
            AddressScan(index: scan, groupIDs: groupIDs, groups: groupIDs.map { groups[$0] }, merged: merged[scan])
        }
        return (groups, slots, scans, scanOfGroup)
    }

    private init(input: ConditionInput, members: [Member], mergedRegexMembers: [Int], artifacts: CompiledArtifacts) {
        self.input = input
        self.members = members
        self.mergedRegexMembers = mergedRegexMembers
        let merged = Set(mergedRegexMembers)
        var byKind: [ObjectIdentifier: [Int]] = [:]
        var kindOrder: [ObjectIdentifier] = []
        var singles: [Int] = []
        var scalarReaders: [Int] = []
        for (index, member) in members.enumerated() where !merged.contains(index) {
            if member.matcher is any BatchableMatcher {
                let kind = ObjectIdentifier(type(of: member.matcher))
                if byKind[kind] == nil { kindOrder.append(kind) }
                byKind[kind, default: []].append(index)
            } else if member.matcher.inspectsStrings {
                singles.append(index)
            }
            if !member.matcher.inspectsStrings {
                scalarReaders.append(index)
            }
        }
        var batches: [Batch] = []
        for kind in kindOrder {
            let indices = byKind[kind] ?? []
            guard let firstIndex = indices.first, let first = members[firstIndex].matcher as? any BatchableMatcher,
                let scanner = first.makeBatchScanner(for: indices.map { members[$0].matcher }, artifacts: artifacts)
            else {
                singles.append(contentsOf: indices)
                continue
            }
            batches.append(Batch(scanner: scanner, members: indices))
        }
        self.batches = batches
        self.singles = singles.sorted()
        self.scalarReaders = scalarReaders
    }
}

/// Why a condition matched (its part of an event) and whether it rests on ephemeral data.
struct ConditionHit: Sendable {
    let match: RuleMatch
    let ephemeral: Bool

    init(match: RuleMatch, ephemeral: Bool) {
        self.match = match
        self.ephemeral = ephemeral
    }

    init(
        address: String, keyPath: [KeyPathComponent], value: String, highlight: String, operatorName: String,
        operatorValue: String, ephemeral: Bool
    ) {
        match = RuleMatch(
            operator: operatorName, operatorValue: operatorValue,
            parameters: [
                MatchParameter(
                    address: address, keyPath: keyPath, value: value, highlight: highlight.isEmpty ? [] : [highlight])
            ])
        self.ephemeral = ephemeral
    }
}
