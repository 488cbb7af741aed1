/// Operators/: one file per ruleset operator (`match_regex`, `phrase_match`, `exact_match`, ...), each a small
/// named unit registered in `OperatorRegistry`. The evaluator only knows the protocols below.

/// An operator that judges one scalar value at a time (after transformers), like libddwaf's matchers.
protocol ScalarMatcher: Sendable {
    /// The name reported in events (`match_regex`).
    var operatorName: String { get }
    /// The operator's argument as reported in events (the regex, or empty).
    var operatorValue: String { get }
    /// Whether strings are inspected (nearly all matchers).
    var inspectsStrings: Bool { get }
    /// Whether a non-string scalar is inspected (only `equals` reads numbers and booleans).
    func inspects(_ scalar: WAFValue) -> Bool
    /// The highlight when the (transformed) string matches, nil otherwise.
    func match(_ bytes: UnsafeRawBufferPointer) -> String?
    /// The highlight when a non-string scalar matches.
    func match(scalar: WAFValue) -> String?
}

extension ScalarMatcher {
    var inspectsStrings: Bool { true }
    func inspects(_ scalar: WAFValue) -> Bool { false }
    func match(scalar: WAFValue) -> String? { nil }
}

/// Matchers that can be checked together in one pass over a value (a regex set, a shared phrase table).
protocol BatchableMatcher: ScalarMatcher {
    /// One scanner for `members` (all of this matcher's type); `nil` when batching doesn't pay. Compiled state
    /// is cached in `artifacts` so updated rulesets share it.
    func makeBatchScanner(for members: [any ScalarMatcher], artifacts: CompiledArtifacts) -> (any BatchScanner)?
}

/// Reports which of its matchers (by position in the list it was built from) may match a value.
protocol BatchScanner: Sendable {
    func candidates(in bytes: UnsafeRawBufferPointer, into result: inout [Int])
}

extension String {
    /// Text of a byte buffer for highlights (invalid UTF-8 repaired).
    init(highlight bytes: UnsafeRawBufferPointer) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}
