/// `rules_data`: named value lists (blocked IPs, blocked users, ...) that `ip_match` and `exact_match`
/// conditions reference by id, each value with an optional expiration (Unix seconds; 0 or absent = never).
struct RulesDataEntry: Sendable, Hashable {
    let value: String
    let expiration: UInt64?
}

struct RulesDataSet: Sendable {
    let id: String
    /// `ip_with_expiration` or `data_with_expiration`.
    let type: String
    let entries: [RulesDataEntry]
}

struct RulesDataStore: Sendable {
    var sets: [String: RulesDataSet] = [:]

    /// Parses the `rules_data` section. Entries with the same id are merged (libddwaf keeps the latest expiration).
    static func parse(_ value: WAFValue?, diagnostics: inout RulesetDiagnostics.Section) -> RulesDataStore {
        var store = RulesDataStore()
        guard let value else { return store }
        guard case .array(let items) = value else {
            diagnostics.error = "invalid type '\(value.typeName)' for key 'rules_data', expected 'array'"
            return store
        }
        for (index, item) in items.enumerated() {
            var id = "index:\(index)"
            do throws(RulesetError) {
                let object = try ConfigObject(item, name: "rules_data")
                id = try object.string("id")
                let type = try object.string("type")
                guard type == "ip_with_expiration" || type == "data_with_expiration" else {
                    throw RulesetError("unknown type '\(type)'")
                }
                var merged: [String: UInt64?] = store.sets[id].map { set in
                    Dictionary(set.entries.map { ($0.value, $0.expiration) }, uniquingKeysWith: { a, _ in a })
                } ?? [:]
                var order = store.sets[id]?.entries.map(\.value) ?? []
                for element in try object.array("data") {
                    let entry = try ConfigObject(element, name: "data")
                    let entryValue = try entry.string("value")
                    let expiration = try entry.integer("expiration").flatMap { $0 > 0 ? UInt64($0) : nil }
                    if let existing = merged[entryValue] {
                        // Never expiring wins; otherwise the later expiration.
                        if let current = existing, let new = expiration { merged[entryValue] = max(current, new) } else {
                            merged[entryValue] = .some(nil)
                        }
                    } else {
                        merged[entryValue] = .some(expiration)
                        order.append(entryValue)
                    }
                }
                let entries = order.map { RulesDataEntry(value: $0, expiration: merged[$0] ?? nil) }
                store.sets[id] = RulesDataSet(id: id, type: type, entries: entries)
                diagnostics.recordLoaded(id)
            } catch {
                diagnostics.recordFailure(id, error)
            }
        }
        return store
    }
}
