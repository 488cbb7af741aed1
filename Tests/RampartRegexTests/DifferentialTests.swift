import Testing
@testable import RampartRegex

/// Randomized agreement checks: every engine against the Pike VM, RegexSet against single regexes, and the
/// whole engine against RE2 itself.
@Suite struct DifferentialTests {
    @Test func enginesAgreeOnRandomPatterns() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<600 {
            let hir = RandomPatterns.pattern(depth: 4, using: &rng)
            for _ in 0..<4 {
                let input = RandomPatterns.input(using: &rng)
                _ = try spanFromEveryEngine(hir, input)
            }
        }
    }

    @Test func agreesWithRE2OnRandomPatterns() throws {
        guard RE2Oracle.isAvailable else {
            #expect(!RE2Oracle.required, "google-re2 must be installed in CI (pip install google-re2)")
            return
        }
        var rng = SplitMix64(seed: 0x5EED_0002)
        var cases: [(HIR, [UInt8])] = []
        for _ in 0..<2_500 {
            let hir = RandomPatterns.pattern(depth: 4, using: &rng)
            for _ in 0..<4 { cases.append((hir, RandomPatterns.input(using: &rng))) }
        }
        let questions: [[String: Any]] = cases.map { ["pattern": H.re2Syntax($0.0), "input_hex": $0.1.hexString] }
        let answers = try #require(RE2Oracle.ask(questions))
        try #require(answers.count == cases.count)
        var disagreements = 0
        var compared = 0
        var matched = 0
        for (index, (hir, input)) in cases.enumerated() {
            let answer = answers[index]
            if answer.error != nil { continue }
            compared += 1
            if answer.start != nil { matched += 1 }
            let expected: Range<Int>? = answer.start.flatMap { start in answer.end.map { start..<$0 } }
            let actual = try SafeRegex(hir: hir).firstMatch(in: input)
            if actual != expected {
                disagreements += 1
                if disagreements <= 10 {
                    Issue.record("\(H.re2Syntax(hir)) on \(input): RE2 \(String(describing: expected)), ours \(String(describing: actual))")
                }
            }
        }
        #expect(disagreements == 0)
        // The comparison is only meaningful if RE2 accepted the patterns and answered both ways.
        #expect(compared > cases.count * 9 / 10)
        #expect(matched > compared / 4 && matched < compared * 9 / 10)
    }

    @Test func regexSetAgreesWithSingleRegexes() throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for round in 0..<30 {
            let hirs = (0..<12).map { _ in RandomPatterns.pattern(depth: 3, using: &rng) }
            let limits = round % 3 == 0 ? RegexLimits(dfaCacheBytes: 256) : .default
            let set = try RegexSet(patterns: hirs.map { RegexSet.Pattern(H.re2Syntax($0)) }, hirs: hirs, limits: limits)
            let singles = try hirs.map { try SafeRegex(hir: $0) }
            for _ in 0..<20 {
                let input = RandomPatterns.input(using: &rng) + RandomPatterns.input(using: &rng)
                let expected = singles.indices.filter { singles[$0].matches(input) }
                #expect(set.matchingIndices(in: input) == expected)
                #expect(set.matchesAny(in: input) == !expected.isEmpty)
            }
        }
    }
}
