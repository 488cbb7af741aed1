import Testing
@testable import RampartWAF

/// Compares `PhraseMatcher` with libddwaf's `phrase_match` on random phrase lists and inputs recorded by
/// `scripts/phrase-oracle.py`: same match or no match, same highlighted text.
@Suite struct PhraseMatcherOracleTests {
    @Test(.enabled(if: LibddwafOracle.shouldRun, "needs ddtrace (libddwaf) from PyPI"))
    func phraseMatchAgreesWithLibddwaf() throws {
        var cases = 0, matches = 0
        var mismatches: [String] = []
        for line in try LibddwafOracle.lines(script: "phrase-oracle.py") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0] == "case" else {
                Issue.record("malformed oracle line: \(line.prefix(80))")
                continue
            }
            let phrases = fields[2].split(separator: ",").map { LibddwafOracle.bytes(hex: $0) }
            let input = LibddwafOracle.bytes(hex: fields[3])
            let expected: [UInt8]? = fields[4] == "-" ? nil : LibddwafOracle.bytes(hex: fields[4])
            let matcher = PhraseMatcher(phrases: phrases, wordBoundary: fields[1] == "1")
            let actual = matcher.firstMatch(in: input).map { Array(input[$0]) }
            cases += 1
            if expected != nil { matches += 1 }
            if actual != expected { mismatches.append(String(line)) }
        }
        #expect(cases > 1000 && matches > 100)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }
}
