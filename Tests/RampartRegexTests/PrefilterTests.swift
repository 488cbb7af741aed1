import Testing
@testable import RampartRegex

@Suite struct PrefilterTests {
    func text(_ literal: LiteralString) -> String {
        String(decoding: literal.map(\.byte), as: UTF8.self) + (literal.contains(where: \.caseless) ? "/i" : "")
    }

    @Test func requiredLiteralOfConcatenationPicksTheRarest() throws {
        let hir = H.cat(H.plus(H.word), H.lit("<script"), H.star(H.dot), H.lit("x"))
        let literals = try #require(LiteralExtractor.requiredLiterals(of: hir))
        #expect(literals.map(text) == ["<script"])
    }

    @Test func alternationGivesALiteralSet() throws {
        let hir = H.cat(H.alt(H.lit("union"), H.lit("select"), H.lit("insert")), H.plus(H.space))
        let literals = try #require(LiteralExtractor.requiredLiterals(of: hir))
        #expect(Set(literals.map(text)) == ["union", "select", "insert"])
    }

    @Test func optionalPartsAreNotRequired() {
        #expect(LiteralExtractor.requiredLiterals(of: H.star(H.lit("abcdef"))) == nil)
        #expect(LiteralExtractor.requiredLiterals(of: H.alt(H.lit("abcdef"), H.plus(H.word))) == nil)
        #expect(LiteralExtractor.requiredLiterals(of: H.quest(H.lit("abcdef"))) == nil)
    }

    @Test func caseInsensitiveLiteralKeepsNonASCIIFolds() throws {
        let literals = try #require(LiteralExtractor.requiredLiterals(of: H.caseless("select")))
        #expect(Set(literals.map(text)) == ["select/i", "\u{17F}elect/i"])
        let searcher = LiteralSearcher(literals)
        for match in ["1 SeLeCt 2", "xx\u{17F}ELECT", "select"] {
            #expect(Array(match.utf8).withUnsafeBytes { searcher.occurs(in: $0) }, "\(match)")
        }
        for miss in ["selec t", "seleKt", "", "elect"] {
            #expect(Array(miss.utf8).withUnsafeBytes { !searcher.occurs(in: $0) }, "\(miss)")
        }
    }

    @Test func searcherFindsLiteralsAcrossBlockBoundaries() {
        let searcher = LiteralSearcher([Array("needle".utf8).map { LiteralUnit(byte: $0, caseless: false) }])
        for offset in 0..<40 {
            var haystack = [UInt8](repeating: 0x6E, count: 40)  // "nnnn…": many anchor-like near misses
            haystack.replaceSubrange(offset..<min(offset + 6, 40), with: Array("needle".utf8).prefix(40 - offset))
            let found = haystack.withUnsafeBytes { searcher.firstOccurrence(in: $0, literalIndex: nil) }
            #expect(found == (offset + 6 <= 40 ? offset : nil), "offset \(offset)")
        }
    }

    @Test func searcherWithManyNeedlesUsesTheTableScan() {
        let words = ["<?php", "eval(", "{{", "../", "%00", "${"]
        let searcher = LiteralSearcher(words.map { Array($0.utf8).map { LiteralUnit(byte: $0, caseless: false) } })
        for word in words {
            let haystack = Array(("benign text " + String(repeating: "abc ", count: 10) + word + " tail").utf8)
            #expect(haystack.withUnsafeBytes { searcher.occurs(in: $0) }, "\(word)")
        }
        let clean = Array(String(repeating: "lorem ipsum dolor sit amet ", count: 20).utf8)
        #expect(clean.withUnsafeBytes { !searcher.occurs(in: $0) })
    }

    @Test func prefilteredRegexStillChecksTheWholePattern() throws {
        let regex = try SafeRegex(hir: H.cat(H.caseless("union"), H.plus(H.space), H.caseless("select")))
        #expect(regex.firstMatch(in: "1 UNION  select *") == 2..<15)
        #expect(regex.firstMatch(in: "union, then select") == nil)
        #expect(!regex.matches("nothing here"))
    }

    @Test func plainLiteralPatternsUseDirectSearch() throws {
        let regex = try SafeRegex(hir: H.group(H.lit("admin")))
        #expect(regex.strategy.plainLiteral != nil)
        #expect(regex.firstMatch(in: "/x/admin/admin") == 3..<8)
        let anchored = try SafeRegex(hir: H.cat(H.start, H.lit("GET ")))
        #expect(anchored.firstMatch(in: "GET /") == 0..<4)
        #expect(anchored.firstMatch(in: " GET /") == nil)
        let suffix = try SafeRegex(hir: H.cat(H.lit(".php"), H.end))
        #expect(suffix.firstMatch(in: "a.php.php") == 5..<9)
        #expect(suffix.firstMatch(in: "a.php?") == nil)
    }
}
