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

    static func build(conditions: [CompiledCondition], artifacts: CompiledArtifacts) -> ([ScanGroup], [[Slot?]]) {
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
        var groups: [ScanGroup] = []
        for (index, input) in inputs.enumerated() {
            groups.append(ScanGroup(input: input, members: members[index], artifacts: artifacts))
        }
        return (groups, slots)
    }

    private init(input: ConditionInput, members: [Member], artifacts: CompiledArtifacts) {
        self.input = input
        self.members = members
        var byKind: [ObjectIdentifier: [Int]] = [:]
        var kindOrder: [ObjectIdentifier] = []
        var singles: [Int] = []
        var scalarReaders: [Int] = []
        for (index, member) in members.enumerated() {
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

extension ScanGroup {
    /// Scans `root` (the address value) and reports the first hit of each member, in iteration order, skipping
    /// members already `done`. Throws when the deadline passes mid-scan.
    func scan(
        _ root: WAFValue, limits: WAFLimits, ephemeral: Bool, deadline: inout Deadline,
        report: (Int, ConditionHit) -> Void
    ) throws(DeadlineExceeded) {
        var found = [Bool](repeating: false, count: members.count)
        var remaining = members.count
        var candidates: [Int] = []
        var timedOut = false
        var clock = deadline
        defer { deadline = clock }
        let walker = ValueWalker(limits: limits)
        let address = input.address
        walker.walk(root, keyPath: input.keyPath, source: input.source) { item, path in
            if clock.tick() {
                timedOut = true
                return false
            }
            let text: String
            switch item {
            case .key(let key): text = key
            case .scalar(.string(let string)): text = string
            case .scalar(let scalar):
                for index in scalarReaders where !found[index] {
                    let matcher = members[index].matcher
                    guard matcher.inspects(scalar), let highlight = matcher.match(scalar: scalar) else { continue }
                    found[index] = true
                    remaining -= 1
                    report(index, ConditionHit(
                        address: address, keyPath: path, value: scalar.scalarText, highlight: highlight,
                        operatorName: matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral))
                }
                return remaining > 0
            }
            var utf8 = text
            utf8.withUTF8 { raw in
                let whole = UnsafeRawBufferPointer(raw)
                let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<limits.inspectedLength(of: whole)])
                if let transformed = input.transformers.apply(bytes) {
                    transformed.withUnsafeBytes { check($0, path: path) }
                } else {
                    check(bytes, path: path)
                }
            }
            return remaining > 0
        }

        func check(_ bytes: UnsafeRawBufferPointer, path: [KeyPathComponent]) {
            for batch in batches {
                candidates.removeAll(keepingCapacity: true)
                batch.scanner.candidates(in: bytes, into: &candidates)
                for position in candidates {
                    guard position < batch.members.count else { continue }
                    confirm(batch.members[position], bytes, path)
                }
            }
            for index in singles { confirm(index, bytes, path) }
        }

        func confirm(_ index: Int, _ bytes: UnsafeRawBufferPointer, _ path: [KeyPathComponent]) {
            guard !found[index] else { return }
            let matcher = members[index].matcher
            guard let highlight = matcher.match(bytes) else { return }
            found[index] = true
            remaining -= 1
            report(index, ConditionHit(
                address: address, keyPath: path, value: String(highlight: bytes), highlight: highlight,
                operatorName: matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral))
        }

        if timedOut { throw DeadlineExceeded() }
    }
}
