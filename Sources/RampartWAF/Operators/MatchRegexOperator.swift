import RampartRegex

/// `match_regex`: a regex (RE2 syntax, case-insensitive unless `options.case_sensitive`) found anywhere in a
/// value at least `options.min_length` bytes long. The highlight is the leftmost-first match.
enum MatchRegexOperator: OperatorFactory {
    static let name = "match_regex"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        let pattern = try request.parameters.string("regex")
        let options = try request.parameters.object("options")
        let caseSensitive = try options?.bool("case_sensitive") ?? false
        let minLength = try options?.integer("min_length") ?? 0
        guard minLength >= 0 else { throw RulesetError("min_length must not be negative") }
        let matcher = try RegexMatcher(
            pattern: pattern, caseSensitive: caseSensitive, minLength: minLength, artifacts: request.artifacts)
        return request.negated ? .negatedScalar(matcher) : .scalar(matcher)
    }
}

struct RegexMatcher: BatchableMatcher {
    let regex: SafeRegex
    let minLength: Int

    init(pattern: String, caseSensitive: Bool, minLength: Int, artifacts: CompiledArtifacts) throws(RulesetError) {
        let options: RegexOptions = caseSensitive ? [] : [.caseInsensitive]
        let compiled: Result<SafeRegex, RegexError> = artifacts.cached("regex:\(options.rawValue):\(pattern)") {
            Result { () throws(RegexError) -> SafeRegex in try SafeRegex(pattern, options: options) }
        }
        switch compiled {
        case .success(let regex): self.regex = regex
        case .failure(let error): throw RulesetError("invalid regular expression: \(error)")
        }
        self.minLength = minLength
    }

    var operatorName: String { "match_regex" }
    var operatorValue: String { regex.pattern }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        // Deciding is cheaper than locating: find the span only for the (rare) values that match.
        guard bytes.count >= minLength, regex.matches(bytes), let range = regex.firstMatch(in: bytes) else {
            return nil
        }
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, range.lowerBound <= range.upperBound else {
            return ""
        }
        return String(highlight: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    func makeBatchScanner(for members: [any ScalarMatcher], artifacts: CompiledArtifacts) -> (any BatchScanner)? {
        let regexes = members.compactMap { ($0 as? RegexMatcher)?.regex }
        guard regexes.count == members.count, regexes.count > 1 else { return nil }
        return RegexSetScanner.sharedSet(of: regexes, artifacts: artifacts).map(RegexSetScanner.init)
    }
}

/// All regexes of a scan group in one automaton: one pass over the value gives every pattern that matches.
struct RegexSetScanner: BatchScanner {
    let set: RegexSet

    /// One `RegexSet` of `regexes`, shared through `artifacts` by every ruleset that has the same list; nil when
    /// the set cannot be compiled.
    static func sharedSet(of regexes: [SafeRegex], artifacts: CompiledArtifacts) -> RegexSet? {
        let patterns = regexes.map { RegexSet.Pattern($0.pattern, options: $0.options) }
        let key = "regexset:" + patterns.map { "\($0.options.rawValue):\($0.pattern)" }.joined(separator: "\u{0}")
        return artifacts.cached(key) { try? RegexSet(patterns) }
    }

    func candidates(in bytes: UnsafeRawBufferPointer, into result: inout [Int]) {
        result.append(contentsOf: set.matchingIndices(in: bytes))
    }
}
