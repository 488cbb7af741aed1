import Testing
@testable import RampartRegex

/// Patterns that take exponential time in backtracking engines finish here, with the right answer, on 100 KB
/// inputs (time is measured by the benchmark, not asserted).
@Suite struct PathologicalTests {
    static let size = 100_000
    static let manyA = [UInt8](repeating: 0x61, count: size)

    @Test func nestedPlusWithEndAnchor() throws {
        let regex = try SafeRegex(hir: H.cat(H.plus(H.group(H.plus(H.lit("a")))), H.end))
        #expect(regex.firstMatch(in: Self.manyA + [0x21]) == nil)
        #expect(regex.firstMatch(in: Self.manyA) == 0..<Self.size)
        #expect(!regex.matches(Self.manyA + [0x21]))
    }

    @Test func overlappingAlternativesBeforeMissingByte() throws {
        let regex = try SafeRegex(hir: H.cat(H.star(H.group(H.alt(H.lit("a"), H.lit("aa")))), H.lit("b")))
        #expect(regex.firstMatch(in: Self.manyA) == nil)
        #expect(regex.firstMatch(in: Self.manyA + [0x62]) == 0..<(Self.size + 1))
    }

    @Test func doublePlusLoop() throws {
        let x = H.lit("x")
        let regex = try SafeRegex(hir: H.cat(H.plus(H.group(H.cat(H.plus(x), H.plus(x)))), H.lit("y")))
        let manyX = [UInt8](repeating: 0x78, count: Self.size)
        #expect(regex.firstMatch(in: manyX) == nil)
        #expect(regex.firstMatch(in: manyX + [0x79]) == 0..<(Self.size + 1))
    }

    @Test func twelveDotStarGroups() throws {
        let regex = try SafeRegex(hir: H.rep(H.group(H.cat(H.star(H.dot), H.lit("a"))), 12, 12))
        #expect(regex.firstMatch(in: Self.manyA) == 0..<Self.size)
        let manyB = [UInt8](repeating: 0x62, count: Self.size)
        #expect(regex.firstMatch(in: manyB) == nil)
        var elevenA = manyB
        for index in stride(from: 0, to: 11 * 5_000, by: 5_000) { elevenA[index] = 0x61 }
        #expect(!regex.matches(elevenA))
        elevenA[Self.size - 2] = 0x61
        #expect(regex.firstMatch(in: elevenA) == 0..<(Self.size - 1))
    }

    @Test func pikeVMAloneStaysLinear() throws {
        // The fallback engine on its own, on a pattern whose DFA would be exponential in the repeat count.
        let hir = H.cat(H.star(H.dot), H.lit("a"), H.rep(H.dot, 20, 20), H.lit("b"))
        let program = try Compiler.compile(hir, pattern: "", limits: .default)
        var input = [UInt8](repeating: 0x61, count: 8_000)
        var scratch = PikeVMScratch()
        let none = input.withUnsafeBytes {
            PikeVM.search(program, $0, anchored: false, earliest: false, scratch: &scratch)
        }
        #expect(none == nil)
        input[7_990] = 0x62
        let found = input.withUnsafeBytes {
            PikeVM.search(program, $0, anchored: false, earliest: false, scratch: &scratch)
        }
        #expect(found == 0..<7_991)
        let regex = try SafeRegex(hir: hir, limits: RegexLimits(dfaCacheBytes: 4_096))
        #expect(regex.firstMatch(in: input) == 0..<7_991)
    }
}
