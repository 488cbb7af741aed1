/// `exact_match`: the whole value equals one of `list`, or of a `rules_data` set named by `data` (entries may
/// expire).
enum ExactMatchOperator: OperatorFactory {
    static let name = "exact_match"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let matcher: ExactMatcher
        if let dataID = try request.parameters.optionalString("data") {
            guard let set = request.rulesData.sets[dataID] else { return .missingData(dataID) }
            matcher = ExactMatcher(entries: set.entries)
        } else {
            guard let list = try request.parameters.stringArray("list") else { throw .missing("list") }
            matcher = ExactMatcher(entries: list.map { RulesDataEntry(value: $0, expiration: nil) })
        }
        return request.negated ? .negatedScalar(matcher) : .scalar(matcher)
    }
}

struct ExactMatcher: ScalarMatcher {
    /// value bytes → expiration (nil = never).
    let values: [[UInt8]: UInt64?]
    let hasExpirations: Bool

    init(entries: [RulesDataEntry]) {
        var values: [[UInt8]: UInt64?] = [:]
        for entry in entries { values[Array(entry.value.utf8)] = .some(entry.expiration) }
        self.values = values
        hasExpirations = entries.contains { $0.expiration != nil }
    }

    var operatorName: String { "exact_match" }
    var operatorValue: String { "" }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let expiration = values[Array(bytes)] else { return nil }
        if let expiration, expiration <= WallClock.nowSeconds() { return nil }
        return String(highlight: bytes)
    }
}
