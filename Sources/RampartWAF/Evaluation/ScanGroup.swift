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
    /// Scans `root` (the address value) and reports the first hit of each member, in iteration order. Throws when
    /// the deadline passes mid-scan.
    func scan(
        _ root: WAFValue, limits: WAFLimits, ephemeral: Bool, deadline: inout Deadline,
        report: (Int, ConditionHit) -> Void
    ) throws(DeadlineExceeded) {
        var state = ScanState(group: self, limits: limits, ephemeral: ephemeral, deadline: deadline)
        var current = root
        for component in input.keyPath {
            guard let next = ValueWalker.resolve(current, keyPath: [component], limits: limits) else {
                deadline = state.deadline
                return
            }
            current = next
            state.path.append(component)
        }
        _ = state.visit(current, level: 1 + input.keyPath.count)
        deadline = state.deadline
        for (member, hit) in state.hits { report(member, hit) }
        if state.timedOut { throw DeadlineExceeded() }
    }
}

/// The walk of one scan group over one value: a plain struct with mutating methods (no closures), so the hot
/// loop needs no boxing, reference counting of captured state or dynamic exclusivity checks.
private struct ScanState {
    let group: ScanGroup
    let limits: WAFLimits
    let ephemeral: Bool
    var deadline: Deadline
    var found: [Bool]
    var remaining: Int
    var candidates: [Int] = []
    var path: [KeyPathComponent] = []
    var hits: [(Int, ConditionHit)] = []
    var timedOut = false

    init(group: ScanGroup, limits: WAFLimits, ephemeral: Bool, deadline: Deadline) {
        self.group = group
        self.limits = limits
        self.ephemeral = ephemeral
        self.deadline = deadline
        found = Array(repeating: false, count: group.members.count)
        remaining = group.members.count
        candidates.reserveCapacity(8)
    }

    /// Returns false once the walk should stop (every member found, or out of time).
    mutating func visit(_ value: WAFValue, level: Int) -> Bool {
        switch value {
        case .map(let entries):
            guard level < limits.maxDepth else { return true }
            let keys = group.input.source == .keys
            for entry in entries.prefix(limits.maxContainerSize) {
                path.append(.key(entry.key))
                if keys { check(text: entry.key) }
                let keepGoing = remaining > 0 && !timedOut && visit(entry.value, level: level + 1)
                path.removeLast()
                if !keepGoing { return false }
            }
            return true
        case .array(let elements):
            guard level < limits.maxDepth else { return true }
            var index = 0
            for element in elements.prefix(limits.maxContainerSize) {
                path.append(.index(index))
                let keepGoing = visit(element, level: level + 1)
                path.removeLast()
                if !keepGoing { return false }
                index += 1
            }
            return true
        case .string(let text):
            if group.input.source == .values { check(text: text) }
        default:
            if group.input.source == .values { check(scalar: value) }
        }
        return remaining > 0 && !timedOut
    }

    private mutating func check(scalar: WAFValue) {
        for index in group.scalarReaders where !found[index] {
            let matcher = group.members[index].matcher
            guard matcher.inspects(scalar), let highlight = matcher.match(scalar: scalar) else { continue }
            record(index, value: scalar.scalarText, highlight: highlight, matcher: matcher)
        }
    }

    private mutating func check(text: String) {
        if deadline.tick() {
            timedOut = true
            return
        }
        var storage = text
        storage.withUTF8 { raw in
            let whole = UnsafeRawBufferPointer(raw)
            let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<limits.inspectedLength(of: whole)])
            if let transformed = group.input.transformers.apply(bytes) {
                transformed.withUnsafeBytes { match($0) }
            } else {
                match(bytes)
            }
        }
    }

    private mutating func match(_ bytes: UnsafeRawBufferPointer) {
        for batch in group.batches {
            candidates.removeAll(keepingCapacity: true)
            batch.scanner.candidates(in: bytes, into: &candidates)
            for position in candidates where position < batch.members.count {
                confirm(batch.members[position], bytes)
            }
        }
        for index in group.singles { confirm(index, bytes) }
    }

    private mutating func confirm(_ index: Int, _ bytes: UnsafeRawBufferPointer) {
        guard !found[index] else { return }
        let matcher = group.members[index].matcher
        guard let highlight = matcher.match(bytes) else { return }
        record(index, value: String(highlight: bytes), highlight: highlight, matcher: matcher)
    }

    private mutating func record(_ index: Int, value: String, highlight: String, matcher: any ScalarMatcher) {
        found[index] = true
        remaining -= 1
        hits.append(
            (index,
             ConditionHit(
                address: group.input.address, keyPath: path, value: value, highlight: highlight,
                operatorName: matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral)))
    }
}
