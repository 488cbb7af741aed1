/// `phrase_match`: one of `list` occurs in the value (Aho–Corasick, case-sensitive as libddwaf); with
/// `options.enforce_word_boundary` a phrase must start and end at word boundaries.
enum PhraseMatchOperator: OperatorFactory {
    static let name = "phrase_match"
    static let supportsNegation = true

    static func makeCondition(_ request: ConditionRequest) throws(RulesetError) -> ConditionKind {
        guard let list = try request.parameters.stringArray("list") else { throw .missing("list") }
        let options = try request.parameters.object("options")
        let wordBoundary = try options?.bool("enforce_word_boundary") ?? false
        let key = "phrases:\(wordBoundary):" + list.joined(separator: "\u{0}")
        let matcher = PhraseListMatcher(
            phrases: request.artifacts.cached(key) { PhraseMatcher(phrases: list, wordBoundary: wordBoundary) })
        return request.negated ? .negatedScalar(matcher) : .scalar(matcher)
    }
}

struct PhraseListMatcher: ScalarMatcher {
    let phrases: PhraseMatcher

    var operatorName: String { "phrase_match" }
    var operatorValue: String { "" }

    func match(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let range = phrases.firstMatch(in: bytes), range.lowerBound >= 0, range.upperBound <= bytes.count else {
            return nil
        }
        return String(highlight: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }
}
