/// Per-request evaluation state: the data seen so far, which rules fired, which conditions already matched.
///
/// Data accumulates across `run` calls (request headers, then body, then response); each call evaluates only
/// rules reading addresses that changed, and a rule fires at most once per context. Ephemeral data (RASP calls)
/// is evaluated in its call and then forgotten. A context keeps the `WAF` it was made from even if a
/// `WAFHandle` swaps in a newer one.
public final class WAFContext: @unchecked Sendable {
    public let waf: WAF
    private let state: Locked<State>

    struct State {
        var store: [WAFValue?]
        var generation: [Int]
        var ruleFired: [Bool]
        /// Conditions that matched on kept data (sparse: most requests match nothing).
        var conditionHits: [Int: ConditionHit]
        /// Per condition input (flat, see `CompiledRuleset.inputOffsets`): the address generation last evaluated.
        var conditionSeen: [Int]
        /// Per address scan: the address generation its last scan of kept data read.
        var scanSeen: [Int]
        /// Per address scan: what its last scan of kept data found for hit-driven conditions — their hits on the
        /// address's current value. A hit-driven condition reached by its rule takes its hit from here.
        var scanHits: [[ScanMemberHit]]
        /// Total entries of `scanHits` (zero on clean traffic: conditions are then decided without a lookup).
        var scanHitCount = 0
        /// Per collection name (`RuleCollection.nameID`): the strongest verdict it produced so far.
        var collectionVerdicts: [RuleVerdict?]
        var exclusionActive: [Bool]
        var firstRun = true

        /// Empty tables (no allocation), held while an evaluation owns the real ones.
        static var placeholder: State {
            State(
                store: [], generation: [], ruleFired: [], conditionHits: [:], conditionSeen: [], scanSeen: [],
                scanHits: [], collectionVerdicts: [], exclusionActive: [])
        }
    }

    init(waf: WAF) {
        self.waf = waf
        let ruleset = waf.ruleset
        state = Locked(
            State(
                store: Array(repeating: nil, count: ruleset.addressNames.count),
                generation: Array(repeating: 0, count: ruleset.addressNames.count),
                ruleFired: Array(repeating: false, count: ruleset.rules.count),
                conditionHits: [:],
                conditionSeen: Array(repeating: 0, count: ruleset.inputCount),
                scanSeen: Array(repeating: 0, count: ruleset.addressScans.count),
                scanHits: Array(repeating: [], count: ruleset.addressScans.count),
                collectionVerdicts: Array(repeating: nil, count: ruleset.collectionNameCount),
                exclusionActive: Array(repeating: false, count: ruleset.exclusions.count)))
    }

    private init(waf: WAF, state: State) {
        self.waf = waf
        self.state = Locked(state)
    }

    /// A context for a nested evaluation (libddwaf's subcontext, e.g. a sequence of RASP calls): it starts from
    /// everything this context holds, accumulates its own data across its `run` calls, and leaves this context
    /// unchanged — neither its data nor the rules it fired are remembered here.
    public func makeSubcontext() -> WAFContext {
        WAFContext(waf: waf, state: state.withLock { $0 })
    }

    /// Adds `data` to the context, evaluates `ephemeral` data for this call only, and runs every rule with new
    /// data to read, stopping once `budget` is spent (`timedOut`, with the events found until then).
    public func run(_ data: [String: WAFValue], ephemeral: [String: WAFValue] = [:], budget: Duration) -> WAFResult {
        let start = ContinuousClock.now
        // A call with nothing new (e.g. the body phase of a GET) has nothing to evaluate after the first one.
        if data.isEmpty, ephemeral.isEmpty, !state.withLock({ $0.firstRun }) {
            return WAFResult(duration: ContinuousClock.now - start)
        }
        var result = state.withLock { state in
            // Moved out and back rather than copied, so the evaluation owns the tables and mutates them in place.
            var owned = State.placeholder
            swap(&owned, &state)
            var evaluation = Evaluation(
                ruleset: waf.ruleset, cleanValues: waf.cleanValues, state: owned,
                deadline: Deadline(budget: budget, start: start))
            evaluation.ingest(data, ephemeral: ephemeral)
            let outcome = evaluation.evaluate()
            swap(&evaluation.state, &state)
            return outcome
        }
        if let obfuscator = waf.configuration.obfuscator {
            result.events = result.events.map(obfuscator.obfuscate)
        }
        result.duration = ContinuousClock.now - start
        return result
    }
}

/// What an address scan found for one input of a hit-driven condition.
struct ScanMemberHit {
    let conditionID: Int
    let inputIndex: Int
    let hit: ConditionHit
}

/// One `run` call.
private struct Evaluation {
    let ruleset: CompiledRuleset
    let cleanValues: CleanValueCache?
    var state: WAFContext.State
    var deadline: Deadline
    /// This call's ephemeral data by address id: a short list (a RASP call carries two or three addresses).
    var ephemeralValues: [(addressID: Int, value: WAFValue)] = []
    /// Per address: this call carries ephemeral data for it.
    var hasEphemeral: [Bool]
    /// Per address: new data arrived in this call.
    var changed: [Bool]
    var anyChanged = false
    /// Address scans done in this call (per `CompiledRuleset.addressScans`).
    var scannedAddresses: [Bool]
    /// First hit of each scan group member found in this call (absent: scanned, no hit), for conditions that are
    /// not hit-driven.
    var memberHits: [ScanGroup.Slot: ConditionHit] = [:]
    /// Per address scan, when this call scanned ephemeral data: what it found for hit-driven conditions.
    var ephemeralScanHits: [Int: [ScanMemberHit]] = [:]
    /// Per address scan: hit-driven rules already brought it up to date in this call.
    var drivenScanChecked: [Bool]
    var scratch = ScanScratch()
    var ephemeralConditionHits: [Int: ConditionHit] = [:]
    var events: [WAFEvent] = []
    var actions: [WAFAction] = []
    var attributes: [String: WAFValue] = [:]
    /// Per rule for this call: how exclusions affect it.
    var policies: [Int: RulePolicy] = [:]

    struct RulePolicy {
        var bypass = false
        var monitor = false
        var customAction: String?
        var excludedPaths: [Int: [[KeyPathComponent]]] = [:]
    }

    init(ruleset: CompiledRuleset, cleanValues: CleanValueCache?, state: WAFContext.State, deadline: Deadline) {
        self.ruleset = ruleset
        self.cleanValues = cleanValues
        self.state = state
        self.deadline = deadline
        scannedAddresses = Array(repeating: false, count: ruleset.addressScans.count)
        drivenScanChecked = scannedAddresses
        changed = Array(repeating: false, count: ruleset.addressNames.count)
        hasEphemeral = changed
    }

    mutating func ingest(_ data: [String: WAFValue], ephemeral: [String: WAFValue]) {
        for (address, value) in data {
            guard let id = ruleset.addressIDs[address] else { continue }
            state.store[id] = value
            state.generation[id] &+= 1
            changed[id] = true
            anyChanged = true
        }
        for (address, value) in ephemeral {
            guard let id = ruleset.addressIDs[address] else { continue }
            if let existing = ephemeralValues.firstIndex(where: { $0.addressID == id }) {
                ephemeralValues[existing].value = value
            } else {
                ephemeralValues.append((id, value))
            }
            hasEphemeral[id] = true
        }
    }

    mutating func evaluate() -> WAFResult {
        defer { state.firstRun = false }
        if !state.firstRun && !anyChanged && ephemeralValues.isEmpty { return WAFResult() }
        do throws(DeadlineExceeded) {
            try applyExclusions()
            modules: for plan in ruleset.plans {
                let enforced = !plan.module.ignoresBudget
                if plan.collections.isEmpty {
                    for rule in plan.range {
                        if enforced, deadline.tick(weight: 2) { throw DeadlineExceeded() }
                        if try evaluateRule(rule, enforced: enforced) == .block { break modules }
                    }
                    continue
                }
                for collection in plan.collections {
                    if let done = state.collectionVerdicts[collection.nameID], done >= collection.verdict { continue }
                    for rule in collection.range {
                        if enforced, deadline.tick(weight: 2) { throw DeadlineExceeded() }
                        let verdict = try evaluateRule(rule, enforced: enforced, collection: collection.nameID)
                        if verdict == .block { break modules }
                        if verdict != .none { break }
                    }
                }
            }
            return WAFResult(events: events, actions: actions, timedOut: false, attributes: attributes)
        } catch {
            return WAFResult(events: events, actions: actions, timedOut: true, attributes: attributes)
        }
    }

    // MARK: Exclusions

    private mutating func applyExclusions() throws(DeadlineExceeded) {
        guard !ruleset.exclusions.isEmpty else { return }
        var activeNow: [Bool] = state.exclusionActive
        for (index, exclusion) in ruleset.exclusions.enumerated() where !activeNow[index] {
            var allMatched = true
            var ephemeralMatch = false
            for conditionID in exclusion.conditionIDs {
                guard let hit = try conditionHit(conditionID, excludedPaths: [:]) else {
                    allMatched = false
                    break
                }
                ephemeralMatch = ephemeralMatch || hit.ephemeral
            }
            if allMatched {
                activeNow[index] = true
                if !ephemeralMatch { state.exclusionActive[index] = true }
            }
        }
        for (rule, exclusionIndices) in ruleset.ruleExclusions.enumerated() where !exclusionIndices.isEmpty {
            var policy = RulePolicy()
            for index in exclusionIndices where activeNow[index] {
                let exclusion = ruleset.exclusions[index]
                if let inputs = exclusion.excludedInputs {
                    for input in inputs { policy.excludedPaths[input.addressID, default: []].append(input.keyPath) }
                    continue
                }
                switch exclusion.mode {
                case .bypass: policy.bypass = true
                case .monitor: policy.monitor = true
                case .custom(let action): policy.customAction = policy.customAction ?? action
                }
            }
            policies[rule] = policy
        }
    }

    // MARK: Rules

    /// Evaluates one rule; returns its verdict when it fired in this call, `.none` otherwise.
    private mutating func evaluateRule(_ index: Int, enforced: Bool, collection: Int? = nil)
        throws(DeadlineExceeded) -> RuleVerdict
    {
        guard !state.ruleFired[index], ruleset.rules[index].enabled else { return .none }
        if ruleset.hitDrivenRules[index] {
            return try evaluateHitDrivenRule(index, enforced: enforced, collection: collection)
        }
        if openingGateIsClosed(index) { return .none }
        let policy = policies[index] ?? RulePolicy()
        if policy.bypass { return .none }
        guard hasNewData(index) else { return .none }
        if !enforced, deadline.enforced { deadline = deadline.unenforced }
        var hits: [ConditionHit] = []
        for conditionID in ruleset.ruleConditionIDs[index] {
            if let cached = state.conditionHits[conditionID] {
                hits.append(cached)
                continue
            }
            guard let hit = try conditionHit(conditionID, excludedPaths: policy.excludedPaths) else { return .none }
            hits.append(hit)
        }
        return fire(index, hits: hits, policy: policy, collection: collection)
    }

    /// A rule opening with a structured condition (the RASP rules) has nothing to do until that condition's
    /// required arguments have data — most calls carry no operation. This is what evaluating the condition
    /// would find first, without the per-condition bookkeeping; a hit kept for it from an earlier call would
    /// stand without the data, so the gate stays open then.
    private func openingGateIsClosed(_ index: Int) -> Bool {
        let gates = ruleset.ruleOpeningGates[index]
        if gates.isEmpty { return false }
        if !state.conditionHits.isEmpty, let opening = ruleset.ruleConditionIDs[index].first,
            state.conditionHits[opening] != nil
        {
            return false
        }
        return !requiredArgumentsPresent(gates)
    }

    /// Whether each required argument (a list of the addresses it may come from) has data in one of them.
    /// Loops rather than `contains(where:)`: a closure reading `self` made the optimizer copy the evaluation.
    private func requiredArgumentsPresent(_ arguments: [[Int]]) -> Bool {
        for addresses in arguments {
            var present = false
            for address in addresses where hasValue(address) {
                present = true
                break
            }
            if !present { return false }
        }
        return true
    }

    /// Whether an address the rule reads has data new to this call (always, on a context's first call).
    private func hasNewData(_ index: Int) -> Bool {
        if state.firstRun { return true }
        // Loops rather than `contains(where:)`: a closure reading `self` made the optimizer copy the evaluation.
        let addresses = ruleset.ruleAddressIDs[index]
        if ephemeralValues.isEmpty {
            for address in addresses where changed[address] { return true }
            return false
        }
        for address in addresses where changed[address] || hasEphemeral[address] { return true }
        return false
    }

    /// A hit-driven rule: brings its address scans up to date (each scan serves every rule reading the same
    /// place), then takes its conditions in order, as any rule: a condition that matched before stays matched,
    /// the others are decided by what the scans found in the current data, and the first one without a hit ends
    /// the rule (libddwaf's short circuit: later conditions are not reached, so nothing is kept for them).
    private mutating func evaluateHitDrivenRule(_ index: Int, enforced: Bool, collection: Int?)
        throws(DeadlineExceeded) -> RuleVerdict
    {
        guard hasNewData(index) else { return .none }
        if !enforced, deadline.enforced { deadline = deadline.unenforced }
        for scan in ruleset.ruleScans[index] where !drivenScanChecked[scan] {
            try bringScanUpToDate(scan)
        }
        let noKeptHits = state.conditionHits.isEmpty
        let noCurrentHits = state.scanHitCount == 0 && ephemeralScanHits.isEmpty
        if noCurrentHits {
            // Clean data (the usual case): only hits kept from earlier calls could complete the rule.
            if noKeptHits { return .none }
            for conditionID in ruleset.ruleConditionIDs[index] where state.conditionHits[conditionID] == nil {
                return .none
            }
        }
        var hits: [ConditionHit] = []
        for conditionID in ruleset.ruleConditionIDs[index] {
            if !noKeptHits, let kept = state.conditionHits[conditionID] {
                hits.append(kept)
                continue
            }
            guard let hit = currentHit(conditionID) else { return .none }
            if !hit.ephemeral { state.conditionHits[conditionID] = hit }
            hits.append(hit)
        }
        return fire(index, hits: hits, policy: RulePolicy(), collection: collection)
    }

    /// What the scans found for a hit-driven condition in the current data (ephemeral data first, as everywhere),
    /// trying its inputs in order.
    private func currentHit(_ conditionID: Int) -> ConditionHit? {
        let scans = ruleset.conditionInputScans[conditionID]
        for inputIndex in scans.indices {
            let scan = scans[inputIndex]
            let found: [ScanMemberHit]
            if hasEphemeral[ruleset.scanAddressIDs[scan]] {
                guard let ephemeralHits = ephemeralScanHits[scan] else { continue }
                found = ephemeralHits
            } else {
                found = state.scanHits[scan]
            }
            for entry in found where entry.conditionID == conditionID && entry.inputIndex == inputIndex {
                return entry.hit
            }
        }
        return nil
    }

    /// Scans an address for hit-driven conditions when it holds data they have not seen: ephemeral data of this
    /// call, or a generation of the kept data not scanned yet.
    private mutating func bringScanUpToDate(_ scan: Int) throws(DeadlineExceeded) {
        drivenScanChecked[scan] = true
        let addressID = ruleset.scanAddressIDs[scan]
        if hasEphemeral[addressID], let value = ephemeralValue(addressID) {
            if !scannedAddresses[scan] { try scanAddress(scan, value, ephemeral: true) }
            return
        }
        guard let value = state.store[addressID], state.scanSeen[scan] != state.generation[addressID] else { return }
        try scanAddress(scan, value, ephemeral: false)
    }

    /// Records a rule that fired: its actions, attributes and event. Returns its verdict.
    private mutating func fire(_ index: Int, hits: [ConditionHit], policy: RulePolicy, collection: Int?)
        -> RuleVerdict
    {
        let ephemeral = hits.contains(where: \.ephemeral)
        if !ephemeral { state.ruleFired[index] = true }
        // Only a rule that fired is copied out (its fields are reported).
        let rule = ruleset.rules[index]
        var verdict = ruleset.verdicts[index]
        var actionIDs = rule.onMatch
        if policy.monitor {
            verdict = .monitor
            actionIDs = []
        } else if let custom = policy.customAction {
            verdict = .block
            actionIDs = [custom]
        }
        if let collection, !ephemeral {
            state.collectionVerdicts[collection] = max(state.collectionVerdicts[collection] ?? .none, verdict)
        }
        var securityResponseID: String?
        for id in actionIDs {
            guard let action = ruleset.actions[id] else { continue }
            if action.isBlocking {
                if actions.contains(where: \.isBlocking) { continue }
                securityResponseID = id
            }
            if !actions.contains(action) { actions.append(action) }
        }
        for (key, value) in rule.attributes { attributes[key] = value }
        if rule.reportsEvent {
            events.append(
                WAFEvent(
                    rule: RuleSummary(id: rule.id, name: rule.name, tags: rule.tags, onMatch: rule.onMatch),
                    ruleMatches: hits.map(\.match), securityResponseID: securityResponseID))
        }
        return verdict == .none ? .monitor : verdict
    }

    // MARK: Conditions

    /// The value for an address in this call: ephemeral data first, then the context's data.
    private func hasValue(_ addressID: Int) -> Bool {
        if state.store[addressID] != nil { return true }
        return hasEphemeral[addressID]
    }

    private func ephemeralValue(_ addressID: Int) -> WAFValue? {
        for entry in ephemeralValues where entry.addressID == addressID { return entry.value }
        return nil
    }

    private func currentValue(_ addressID: Int) -> (WAFValue, ephemeral: Bool)? {
        if hasEphemeral[addressID], let value = ephemeralValue(addressID) { return (value, true) }
        if let value = state.store[addressID] { return (value, false) }
        return nil
    }

    /// Whether input `inputIndex` of the condition has data it has not evaluated yet (and marks it seen).
    private mutating func takeNewData(_ conditionID: Int, _ inputIndex: Int, _ addressID: Int) -> (WAFValue, Bool)? {
        guard let (value, ephemeral) = currentValue(addressID) else { return nil }
        if ephemeral { return (value, true) }
        let generation = state.generation[addressID]
        let slot = ruleset.inputOffsets[conditionID] + inputIndex
        guard state.conditionSeen[slot] != generation else { return nil }
        state.conditionSeen[slot] = generation
        return (value, false)
    }

    private mutating func conditionHit(_ conditionID: Int, excludedPaths: [Int: [[KeyPathComponent]]])
        throws(DeadlineExceeded) -> ConditionHit?
    {
        if let cached = state.conditionHits[conditionID] { return cached }
        if let hit = ephemeralConditionHits[conditionID] { return hit }
        let condition = ruleset.conditions[conditionID]
        let hit: ConditionHit?
        if condition.isScalar {
            hit = try scalarHit(conditionID, condition, excludedPaths)
        } else {
            hit = try otherHit(conditionID, condition, excludedPaths)
        }
        if let hit {
            if hit.ephemeral { ephemeralConditionHits[conditionID] = hit } else { state.conditionHits[conditionID] = hit }
        }
        return hit
    }

    private mutating func otherHit(
        _ conditionID: Int, _ condition: CompiledCondition, _ excludedPaths: [Int: [[KeyPathComponent]]]
    ) throws(DeadlineExceeded) -> ConditionHit? {
        let hit: ConditionHit?
        switch condition.kind {
        case .scalar:
            hit = try scalarHit(conditionID, condition, excludedPaths)
        case .negatedScalar(let matcher):
            hit = try negatedHit(conditionID, condition, matcher, excludedPaths)
        case .exists(let negated):
            hit = existsHit(conditionID, condition, negated: negated)
        case .structured(let structured):
            hit = structuredHit(conditionID, condition, structured)
        case .missingData:
            hit = nil
        }
        return hit
    }

    private mutating func scalarHit(
        _ conditionID: Int, _ condition: CompiledCondition, _ excludedPaths: [Int: [[KeyPathComponent]]]
    ) throws(DeadlineExceeded) -> ConditionHit? {
        // Indexed rather than iterated: copying each `ConditionInput` (strings and arrays) costs more than the check.
        let inputCount = condition.inputs.count
        for inputIndex in 0..<inputCount {
            let addressID = ruleset.conditions[conditionID].inputs[inputIndex].addressID
            guard let (value, ephemeral) = takeNewData(conditionID, inputIndex, addressID) else { continue }
            if let excluded = excludedPaths[addressID], !excluded.isEmpty, case .scalar(let matcher) = condition.kind {
                if let hit = try DirectEvaluation.scalar(
                    value, input: condition.inputs[inputIndex], matcher: matcher, limits: ruleset.limits,
                    excluded: excluded, ephemeral: ephemeral, deadline: &deadline)
                {
                    return hit
                }
                continue
            }
            guard let slot = ruleset.groupSlots[conditionID][inputIndex] else { continue }
            let scanIndex = ruleset.addressScanOfGroup[slot.group]
            if !scannedAddresses[scanIndex] {
                try scanAddress(scanIndex, value, ephemeral: ephemeral)
            }
            if let hit = memberHits[slot] { return hit }
        }
        return nil
    }

    /// Scans a value once for every scan group of an address scan, recording their members' first hits.
    private mutating func scanAddress(_ scanIndex: Int, _ value: WAFValue, ephemeral: Bool) throws(DeadlineExceeded) {
        let scan = ruleset.addressScans[scanIndex]
        var found: [(local: Int, member: Int, hit: ConditionHit)] = []
        try scan.scan(
            value, limits: ruleset.limits, ephemeral: ephemeral, cleanValues: cleanValues, scratch: &scratch,
            deadline: &deadline
        ) { local, member, hit in
            found.append((local, member, hit))
        }
        var drivenHits: [ScanMemberHit] = []
        for (local, member, hit) in found {
            let target = ruleset.scanMemberInputs[scanIndex][scan.memberOffsets[local] + member]
            if ruleset.hitDrivenConditions[target.conditionID] {
                drivenHits.append(ScanMemberHit(conditionID: target.conditionID, inputIndex: target.inputIndex, hit: hit))
            } else {
                memberHits[ScanGroup.Slot(group: scan.groupIDs[local], member: member)] = hit
            }
        }
        if ephemeral {
            ephemeralScanHits[scanIndex] = drivenHits
        } else {
            // The kept data of this address changed (or is scanned for the first time): its hits replace the old.
            state.scanHitCount += drivenHits.count - state.scanHits[scanIndex].count
            state.scanHits[scanIndex] = drivenHits
            state.scanSeen[scanIndex] = state.generation[ruleset.scanAddressIDs[scanIndex]]
        }
        scannedAddresses[scanIndex] = true
    }

    private mutating func negatedHit(
        _ conditionID: Int, _ condition: CompiledCondition, _ matcher: any ScalarMatcher,
        _ excludedPaths: [Int: [[KeyPathComponent]]]
    ) throws(DeadlineExceeded) -> ConditionHit? {
        guard let input = condition.inputs.first,
            let (value, ephemeral) = takeNewData(conditionID, 0, input.addressID)
        else { return nil }
        return try DirectEvaluation.negated(
            value, input: input, matcher: matcher, limits: ruleset.limits,
            excluded: excludedPaths[input.addressID] ?? [], ephemeral: ephemeral, deadline: &deadline)
    }

    private mutating func existsHit(_ conditionID: Int, _ condition: CompiledCondition, negated: Bool) -> ConditionHit? {
        for (inputIndex, input) in condition.inputs.enumerated() {
            guard let (value, ephemeral) = takeNewData(conditionID, inputIndex, input.addressID) else { continue }
            let found = ValueWalker.resolve(value, keyPath: input.keyPath, limits: ruleset.limits) != nil
            if found != negated {
                return ConditionHit(
                    address: input.address, keyPath: input.keyPath, value: "", highlight: "",
                    operatorName: negated ? "!exists" : "exists", operatorValue: "", ephemeral: ephemeral)
            }
        }
        return nil
    }

    private mutating func structuredHit(
        _ conditionID: Int, _ condition: CompiledCondition, _ structured: any StructuredOperator
    ) -> ConditionHit? {
        // Most calls carry no operation (no `resource`): nothing to resolve then. Inputs are left unmarked, so
        // the condition is evaluated once a required argument arrives.
        guard requiredArgumentsPresent(condition.requiredArgumentAddresses) else { return nil }
        var anyNew = false
        var ephemeral = false
        // Every present input of each argument, in rule order: libddwaf tries each `params` address in turn.
        var candidates: [(name: String, values: [ArgumentValue])] = []
        var inputIndex = 0
        for argument in condition.arguments {
            var values: [ArgumentValue] = []
            for input in argument.inputs {
                defer { inputIndex += 1 }
                guard let (root, isEphemeral) = currentValue(input.addressID) else { continue }
                if isEphemeral {
                    anyNew = true
                    ephemeral = true
                } else if state.conditionSeen[ruleset.inputOffsets[conditionID] + inputIndex]
                    != state.generation[input.addressID]
                {
                    state.conditionSeen[ruleset.inputOffsets[conditionID] + inputIndex] = state.generation[input.addressID]
                    anyNew = true
                }
                guard let value = ValueWalker.resolve(root, keyPath: input.keyPath, limits: ruleset.limits) else {
                    continue
                }
                values.append(ArgumentValue(address: input.address, keyPath: input.keyPath, value: value))
            }
            if !values.isEmpty { candidates.append((argument.name, values)) }
        }
        guard anyNew else { return nil }
        for (name, required) in structured.argumentNames
        where required && !candidates.contains(where: { $0.name == name }) {
            return nil
        }
        // Odometer over the candidates, first inputs first; bounded so a rule with many inputs stays cheap.
        var choice = [Int](repeating: 0, count: candidates.count)
        for _ in 0..<256 {
            var arguments: [String: ArgumentValue] = [:]
            for (slot, candidate) in candidates.enumerated() { arguments[candidate.name] = candidate.values[choice[slot]] }
            if let match = structured.evaluate(arguments, limits: ruleset.limits) {
                return ConditionHit(match: match, ephemeral: ephemeral)
            }
            var slot = candidates.count - 1
            while slot >= 0 {
                choice[slot] += 1
                if choice[slot] < candidates[slot].values.count { break }
                choice[slot] = 0
                slot -= 1
            }
            if slot < 0 { break }
        }
        return nil
    }
}
