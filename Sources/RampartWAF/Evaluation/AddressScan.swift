import RampartRegex

/// Every scan group reading the same place (address, key path, keys or values) is served by one walk of the
/// value: each string is transformed once per distinct transformer prefix (`urlDecodeUni` is shared by
/// `urlDecodeUni` + `lowercase` and `urlDecodeUni` + `removeNulls`), and the regexes of all the groups are decided
/// by one merged `RegexSet` pass per distinct transformed text — for ordinary values, where most transformers
/// change nothing, that is one pass instead of one per group. Libddwaf runs every rule's regex separately.
final class AddressScan: Sendable {
    struct Key: Hashable {
        let addressID: Int
        let keyPath: [KeyPathComponent]
        let source: DataSource
    }

    /// One node per distinct transformer prefix; node 0 is the untransformed value.
    struct TransformNode: Sendable {
        let parent: Int
        let step: (any TransformStep)?
        /// The node whose output decides case-insensitive regexes the same way: a trailing ASCII `lowercase`
        /// step changes nothing a case-insensitive regex can see, so its parent's output (often the raw value)
        /// serves and the lowercased copy is only made when a match needs reporting.
        let caseFoldNode: Int
    }

    /// The regexes of all groups of one address scan as one set.
    struct MergedRegexes: Sendable {
        let set: RegexSet
        /// Per pattern of `set`: which group (local index) and member it decides, and on which node's output.
        let entries: [Entry]
        /// Per local group: its members decided by the set.
        let membersByGroup: [[Int]]

        struct Entry: Sendable {
            let group: Int
            let member: Int
            let matcher: RegexMatcher
            /// Whether the pattern ignores case throughout (then `lowercase` steps can be skipped for deciding).
            let foldsCase: Bool
        }

        /// Nil when fewer than two regexes would share the set or the set cannot be compiled (each group then
        /// batches its own regexes, as before merging).
        init?(groups: [(input: ConditionInput, members: [ScanGroup.Member])], artifacts: CompiledArtifacts) {
            var entries: [Entry] = []
            var membersByGroup: [[Int]] = Array(repeating: [], count: groups.count)
            for (group, (_, members)) in groups.enumerated() {
                for (member, candidate) in members.enumerated() {
                    guard let matcher = candidate.matcher as? RegexMatcher else { continue }
                    entries.append(
                        Entry(
                            group: group, member: member, matcher: matcher,
                            foldsCase: Self.ignoresCaseThroughout(matcher.regex)))
                    membersByGroup[group].append(member)
                }
            }
            guard entries.count > 1 else { return nil }
            guard let set = RegexSetScanner.sharedSet(of: entries.map(\.matcher.regex), artifacts: artifacts) else {
                return nil
            }
            self.set = set
            self.entries = entries
            self.membersByGroup = membersByGroup
        }

        /// Case-insensitive as a whole, with no scoped flag group that could switch it off (`(?-i)`, `(?s-i:…)`).
        private static func ignoresCaseThroughout(_ regex: SafeRegex) -> Bool {
            guard regex.options.contains(.caseInsensitive) else { return false }
            let bytes = Array(regex.pattern.utf8)
            var index = 0
            while index + 1 < bytes.count {
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if bytes[index] == UInt8(ascii: "("), bytes[index + 1] == UInt8(ascii: "?") {
                    var flag = index + 2
                    while flag < bytes.count, bytes[flag] != UInt8(ascii: ")"), bytes[flag] != UInt8(ascii: ":") {
                        if bytes[flag] == UInt8(ascii: "-") { return false }
                        flag += 1
                    }
                }
                index += 1
            }
            return true
        }
    }

    let input: ConditionInput
    /// `input.source` and `input.address`, read per value without copying the whole input.
    let source: DataSource
    let address: String
    /// Position in `CompiledRuleset.addressScans` (names the scan in the clean-value cache).
    let index: Int
    /// Global scan group ids served, in local order.
    let groupIDs: [Int]
    let groups: [ScanGroup]
    let nodes: [TransformNode]
    /// Per local group: the node holding its transformed value.
    let groupNodes: [Int]
    let merged: MergedRegexes?
    /// Per entry of `merged`: the node whose output decides it (its group's node, or that node's `caseFoldNode`).
    let entryDecisionNodes: [Int]
    /// The distinct decision nodes, in entry order: the merged set runs once per distinct output among them.
    let decisionNodes: [Int]
    /// Where each local group's members start in flat per-member tables.
    let memberOffsets: [Int]
    let memberCount: Int

    init(index: Int, groupIDs: [Int], groups: [ScanGroup], merged: MergedRegexes?) {
        self.index = index
        self.groupIDs = groupIDs
        self.groups = groups
        self.merged = merged
        input = groups[0].input
        source = input.source
        address = input.address
        var nodes = [TransformNode(parent: 0, step: nil, caseFoldNode: 0)]
        var nodeByPrefix: [[String]: Int] = [[]: 0]
        var groupNodes: [Int] = []
        for group in groups {
            let chain = group.input.transformers
            var current = 0
            for (depth, step) in chain.steps.enumerated() {
                let prefix = Array(chain.names.prefix(depth + 1))
                if let existing = nodeByPrefix[prefix] {
                    current = existing
                    continue
                }
                let isLowercase = depth < chain.names.count && chain.names[depth] == "lowercase"
                let foldNode = isLowercase ? nodes[current].caseFoldNode : nodes.count
                nodes.append(TransformNode(parent: current, step: step, caseFoldNode: foldNode))
                current = nodes.count - 1
                nodeByPrefix[prefix] = current
            }
            groupNodes.append(current)
        }
        self.nodes = nodes
        self.groupNodes = groupNodes
        let entryDecisionNodes = (merged?.entries ?? []).map { entry in
            entry.foldsCase ? nodes[groupNodes[entry.group]].caseFoldNode : groupNodes[entry.group]
        }
        self.entryDecisionNodes = entryDecisionNodes
        var decisionNodes: [Int] = []
        for node in entryDecisionNodes where !decisionNodes.contains(node) { decisionNodes.append(node) }
        self.decisionNodes = decisionNodes
        var offsets: [Int] = []
        var total = 0
        for group in groups {
            offsets.append(total)
            total += group.members.count
        }
        memberOffsets = offsets
        memberCount = total
    }

    /// Scans `root` (the address value) for every group and reports the first hit of each member, in iteration
    /// order, as (local group index, member, hit). `scratch` carries reusable tables from scan to scan. Throws
    /// when the deadline passes mid-scan.
    func scan(
        _ root: WAFValue, limits: WAFLimits, ephemeral: Bool, cleanValues: CleanValueCache?,
        scratch: inout ScanScratch, deadline: inout Deadline, report: (Int, Int, ConditionHit) -> Void
    ) throws(DeadlineExceeded) {
        var state = AddressScanState(
            scan: self, limits: limits, ephemeral: ephemeral, cleanValues: cleanValues, deadline: deadline,
            scratch: &scratch)
        defer { swap(&state.scratch, &scratch) }
        var current = root
        for component in input.keyPath {
            guard let next = ValueWalker.resolve(current, keyPath: [component], limits: limits) else {
                deadline = state.deadline
                return
            }
            current = next
        }
        state.walkRoot = current
        _ = state.visit(current, level: 1 + input.keyPath.count)
        deadline = state.deadline
        for hit in state.scratch.hits { report(hit.group, hit.member, hit.hit) }
        if state.timedOut { throw DeadlineExceeded() }
    }
}

/// Tables an address scan needs per value, kept by the evaluation and reused by each scan of one call.
struct ScanScratch {
    /// Per member (flat, see `AddressScan.memberOffsets`): already matched.
    var found: [Bool] = []
    /// Per node: which buffer holds its output for the current string (-1: the untransformed string).
    var outputs: [Int] = []
    /// Transformed copies of the current string.
    var buffers: [[UInt8]] = []
    /// Distinct decision texts of the current string already scanned by the merged set.
    var scannedOutputs: [Int] = []
    var candidates: [Int] = []
    /// Where the walk is, below the scan's key path: the position in each enclosing map or array. Key paths are
    /// built from it only for a hit, so the walk does not retain every key it passes.
    var positions: [Int] = []
    var hits: [ScanHit] = []
}

/// The first hit of one member (by local group and member index).
struct ScanHit {
    let group: Int
    let member: Int
    let hit: ConditionHit
}

/// The walk of one address scan over one value: a plain struct with mutating methods (no closures), so the hot
/// loop needs no boxing, reference counting of captured state or dynamic exclusivity checks.
private struct AddressScanState {
    let scan: AddressScan
    let limits: WAFLimits
    let ephemeral: Bool
    let cleanValues: CleanValueCache?
    var deadline: Deadline
    var scratch = ScanScratch()
    var remaining: Int
    var timedOut = false
    /// The value below the scan's key path, where `scratch.positions` start.
    var walkRoot: WAFValue = .null

    init(
        scan: AddressScan, limits: WAFLimits, ephemeral: Bool, cleanValues: CleanValueCache?, deadline: Deadline,
        scratch: inout ScanScratch
    ) {
        self.scan = scan
        self.limits = limits
        self.ephemeral = ephemeral
        self.cleanValues = cleanValues
        self.deadline = deadline
        swap(&self.scratch, &scratch)
        self.scratch.found.removeAll(keepingCapacity: true)
        self.scratch.found.append(contentsOf: repeatElement(false, count: scan.memberCount))
        self.scratch.outputs.removeAll(keepingCapacity: true)
        self.scratch.outputs.append(contentsOf: repeatElement(-1, count: scan.nodes.count))
        self.scratch.positions.removeAll(keepingCapacity: true)
        self.scratch.hits.removeAll(keepingCapacity: true)
        remaining = scan.memberCount
    }

    /// Returns false once the walk should stop (every member found, or out of time).
    mutating func visit(_ value: WAFValue, level: Int) -> Bool {
        switch value {
        case .map(let entries):
            guard level < limits.maxDepth else { return true }
            let keys = scan.source == .keys
            let count = min(entries.count, limits.maxContainerSize)
            var position = 0
            while position < count {
                scratch.positions.append(position)
                if keys { check(text: entries[position].key) }
                let keepGoing = remaining > 0 && !timedOut && visit(entries[position].value, level: level + 1)
                scratch.positions.removeLast()
                if !keepGoing { return false }
                position &+= 1
            }
            return true
        case .array(let elements):
            guard level < limits.maxDepth else { return true }
            let count = min(elements.count, limits.maxContainerSize)
            var position = 0
            while position < count {
                scratch.positions.append(position)
                let keepGoing = visit(elements[position], level: level + 1)
                scratch.positions.removeLast()
                if !keepGoing { return false }
                position &+= 1
            }
            return true
        case .string(let text):
            if scan.source == .values { check(text: text) }
        default:
            if scan.source == .values { check(scalar: value) }
        }
        return remaining > 0 && !timedOut
    }

    private mutating func check(scalar: WAFValue) {
        for (local, group) in scan.groups.enumerated() {
            let offset = scan.memberOffsets[local]
            for index in group.scalarReaders where !scratch.found[offset + index] {
                let matcher = group.members[index].matcher
                guard matcher.inspects(scalar), let highlight = matcher.match(scalar: scalar) else { continue }
                record(local, index, value: scalar.scalarText, highlight: highlight, matcher: matcher)
            }
        }
    }

    private mutating func check(text: String) {
        // A cached string weighs 1, an evaluated one 16 (see `Deadline`).
        if deadline.tick(weight: 1) {
            timedOut = true
            return
        }
        var storage = text
        let evaluated = storage.withUTF8 { raw -> Bool in
            let whole = UnsafeRawBufferPointer(raw)
            let bytes = UnsafeRawBufferPointer(rebasing: whole[0..<limits.inspectedLength(of: whole)])
            if let cleanValues, cleanValues.containsClean(scan: scan.index, bytes) { return false }
            let untouched = remaining == scan.memberCount
            transform(bytes)
            matchMerged(bytes)
            for local in scan.groups.indices { matchGroup(local, bytes) }
            // Clean only if every condition looked at it (none was skipped as already matched) and none matched.
            if untouched, remaining == scan.memberCount, let cleanValues {
                cleanValues.recordClean(scan: scan.index, bytes)
            }
            return true
        }
        if evaluated, deadline.tick(weight: 15) { timedOut = true }
    }

    /// Fills `outputs` for every node: each step runs once on its parent's output.
    private mutating func transform(_ raw: UnsafeRawBufferPointer) {
        scratch.buffers.removeAll(keepingCapacity: true)
        for node in 1..<max(1, scan.nodes.count) {
            let definition = scan.nodes[node]
            let parentOutput = scratch.outputs[definition.parent]
            guard let step = definition.step else {
                scratch.outputs[node] = parentOutput
                continue
            }
            let changed = parentOutput < 0 ? step.apply(to: raw) : step.apply(to: scratch.buffers[parentOutput])
            if let changed {
                scratch.buffers.append(changed)
                scratch.outputs[node] = scratch.buffers.count - 1
            } else {
                scratch.outputs[node] = parentOutput
            }
        }
    }

    /// Runs `body` over a node's output (the raw string or a transformed copy).
    private func withOutput<R>(_ output: Int, _ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R)
        -> R
    {
        guard output >= 0, output < scratch.buffers.count else { return body(raw) }
        return scratch.buffers[output].withUnsafeBytes(body)
    }

    /// One merged regex pass per distinct text the regexes must decide on.
    private mutating func matchMerged(_ raw: UnsafeRawBufferPointer) {
        guard let merged = scan.merged else { return }
        scratch.scannedOutputs.removeAll(keepingCapacity: true)
        for node in scan.decisionNodes {
            let decision = scratch.outputs[node]
            if scratch.scannedOutputs.contains(decision) { continue }
            scratch.scannedOutputs.append(decision)
            let matching = withOutput(decision, raw) { merged.set.matchingIndices(in: $0) }
            for position in matching where position >= 0 && position < merged.entries.count {
                guard scratch.outputs[scan.entryDecisionNodes[position]] == decision else { continue }
                let hit = merged.entries[position]
                confirm(hit.group, hit.member, output: scratch.outputs[scan.groupNodes[hit.group]], raw)
            }
        }
    }

    /// The group's other batched matchers (phrases, ...) and its one-by-one matchers, on its transformed value.
    private mutating func matchGroup(_ local: Int, _ raw: UnsafeRawBufferPointer) {
        let group = scan.groups[local]
        guard !group.batches.isEmpty || !group.singles.isEmpty else { return }
        let output = scratch.outputs[scan.groupNodes[local]]
        for batch in group.batches {
            scratch.candidates.removeAll(keepingCapacity: true)
            withOutput(output, raw) { batch.scanner.candidates(in: $0, into: &scratch.candidates) }
            for position in scratch.candidates where position < batch.members.count {
                confirm(local, batch.members[position], output: output, raw)
            }
        }
        for index in group.singles { confirm(local, index, output: output, raw) }
    }

    private mutating func confirm(_ local: Int, _ index: Int, output: Int, _ raw: UnsafeRawBufferPointer) {
        guard !scratch.found[scan.memberOffsets[local] + index] else { return }
        let matcher = scan.groups[local].members[index].matcher
        guard let (highlight, value) = withOutput(output, raw, { bytes -> (String, String)? in
            guard let highlight = matcher.match(bytes) else { return nil }
            return (highlight, String(highlight: bytes))
        }) else { return }
        record(local, index, value: value, highlight: highlight, matcher: matcher)
    }

    /// The key path of the value being checked: the scan's own key path, then a key or index per position.
    private func currentKeyPath() -> [KeyPathComponent] {
        var path = scan.input.keyPath
        var node = walkRoot
        for position in scratch.positions {
            switch node {
            case .map(let entries) where position < entries.count:
                path.append(.key(entries[position].key))
                node = entries[position].value
            case .array(let elements) where position < elements.count:
                path.append(.index(position))
                node = elements[position]
            default:
                return path
            }
        }
        return path
    }

    private mutating func record(_ local: Int, _ index: Int, value: String, highlight: String, matcher: any ScalarMatcher) {
        scratch.found[scan.memberOffsets[local] + index] = true
        remaining -= 1
        scratch.hits.append(
            ScanHit(
                group: local, member: index,
                hit: ConditionHit(
                    address: scan.address, keyPath: currentKeyPath(), value: value, highlight: highlight,
                    operatorName: matcher.operatorName, operatorValue: matcher.operatorValue, ephemeral: ephemeral)))
    }
}
