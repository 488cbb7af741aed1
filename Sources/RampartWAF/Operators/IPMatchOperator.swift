/// `ip_match`: the value is an IPv4/IPv6 address inside one of `list` (addresses or CIDR networks), or of a
/// `rules_data` set named by `data` whose entries may expire.
enum IPMatchOperator: OperatorFactory {
    static let name = "ip_match"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let entries: [RulesDataEntry]
        if let dataID = try request.parameters.optionalString("data") {
            guard let set = request.rulesData.sets[dataID] else { return .missingData(dataID) }
            entries = set.entries
        } else {
            guard let list = try request.parameters.stringArray("list") else { throw .missing("list") }
            entries = list.map { RulesDataEntry(value: $0, expiration: nil) }
        }
        let matcher = IPListMatcher(entries: entries)
        return request.negated ? .negatedScalar(matcher) : .scalar(matcher)
    }
}

struct IPListMatcher: ScalarMatcher {
    /// Entries that never expire, in one set.
    let permanent: IPSet
    /// Entries with an expiration, checked one by one (they are few: blocklists pushed at runtime).
    let expiring: [(network: IPNetwork, expiration: UInt64)]

    init(entries: [RulesDataEntry]) {
        (permanent, _) = IPSet.skippingInvalid(entries.filter { $0.expiration == nil }.map(\.value))
        expiring = entries.compactMap { entry in
            guard let expiration = entry.expiration, let network = IPNetwork(entry.value) else { return nil }
            return (network, expiration)
        }
    }

    var operatorName: String { "ip_match" }
    var operatorValue: String { "" }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let address = IPAddress(text) else { return nil }
        if permanent.contains(address) { return text }
        guard !expiring.isEmpty else { return nil }
        let now = WallClock.nowSeconds()
        return expiring.contains { $0.network.contains(address) && $0.expiration > now } ? text : nil
    }
}
