/// Compiled operator state (regexes, regex sets, phrase tables, IP sets) keyed by what it was built from, shared
/// by every `WAF` derived from the same original through `updating(rulesetJSON:)`, so an update recompiles
/// only what changed.
final class CompiledArtifacts: Sendable {
    private let storage = Locked<[String: any Sendable]>([:])

    init() {}

    /// The artifact cached under `key`, building it with `make` on first use.
    func cached<T: Sendable>(_ key: String, _ make: () -> T) -> T {
        // Unwrap the dictionary lookup before casting: a missing entry must not cast to an Optional `T`.
        if let stored = storage.withLock({ $0[key] }), let existing = stored as? T { return existing }
        let built = make()
        storage.withLock { $0[key] = built }
        return built
    }

    var count: Int { storage.withLock { $0.count } }
}
