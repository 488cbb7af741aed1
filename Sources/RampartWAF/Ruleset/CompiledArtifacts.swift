/// Compiled operator state (regexes, regex sets, phrase tables, IP sets) keyed by what it was built from, shared
/// by every `WAF` derived from the same original through `updating(rulesetJSON:)`, so an update recompiles
/// only what changed.
final class CompiledArtifacts: Sendable {
    private let storage = Locked<[String: any Sendable]>([:])

    init() {}

    /// The artifact cached under `key`, building it with `make` on first use.
    func cached<T: Sendable>(_ key: String, _ make: () -> T) -> T {
        if let existing = storage.withLock({ $0[key] }) as? T { return existing }
        let built = make()
        storage.withLock { $0[key] = built }
        return built
    }

    var count: Int { storage.withLock { $0.count } }
}
