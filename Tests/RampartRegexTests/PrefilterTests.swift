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

    @Test func searcherWithTwentyCaselessLiteralsFindsEachAtEveryOffset() throws {
        let words = ["select", "union", "insert", "update", "delete", "drop", "exec", "declare", "cast", "convert",
                     "concat", "benchmark", "waitfor", "sleep", "having", "order", "group", "where", "from", "into"]
        let searcher = LiteralSearcher(words.map { Array($0.utf8).map { LiteralUnit(byte: $0, caseless: true) } })
        let filler = Array("lorem ipsum dolor sit amet ".utf8)
        for word in words {
            for offset in [0, 1, 15, 16, 17, 40, 77] {
                var haystack = Array(filler.prefix(offset % filler.count))
                while haystack.count < offset { haystack.append(0x20) }
                let start = haystack.count
                haystack += Array(word.uppercased().utf8) + filler
                let found = haystack.withUnsafeBytes { searcher.firstOccurrence(in: $0, literalIndex: nil) }
                #expect(found == start, "\(word) at \(offset)")
                // The same literal ending exactly at the end of the input (read through the padded tail).
                let atEnd = Array(haystack.prefix(start + word.utf8.count))
                #expect(atEnd.withUnsafeBytes { searcher.occurs(in: $0) }, "\(word) at the end, \(offset)")
                let cut = Array(atEnd.dropLast())
                #expect(cut.withUnsafeBytes { !searcher.occurs(in: $0) }, "\(word) cut short, \(offset)")
            }
        }
        let clean = Array(String(repeating: "lorem ipsum dolor sit amet ", count: 40).utf8)
        #expect(clean.withUnsafeBytes { !searcher.occurs(in: $0) })
    }

    @Test func byteSetScannerFindsTheNextMemberInBlocksAndTail() throws {
        var digits = ByteBitSet()
        digits.insert(0x30...0x39)
        var scattered = ByteBitSet()
        for byte: UInt8 in [0x01, 0x05, 0x0E, 0x1F, 0x7F] { scattered.insert(byte...byte) }
        for set in [digits, scattered] {
            let scanner = try #require(ByteSetScanner(set))
            for length in [0, 1, 15, 16, 17, 33, 64] {
                for member in 0..<max(length, 1) {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    if member < length { bytes[member] = set.contains(0x30) ? 0x37 : 0x1F }
                    let expected = member < length ? member : length
                    for start in [0, member] where start <= length {
                        let found = bytes.withUnsafeBytes { scanner.next(in: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: start, count: length) }
                        #expect(found == (start <= expected ? expected : length), "length \(length) member \(member) start \(start)")
                    }
                }
            }
        }
        var letters = ByteBitSet()
        letters.insert(0x61...0x7A)
        #expect(ByteSetScanner(letters) == nil, "common bytes are not worth skipping to")
    }

    @Test func startLoopSkippingKeepsTheContextOfTheSkippedByte() throws {
        let bounded = try SafeRegex(#"\b\d{3}\b"#)
        #expect(bounded.strategy.forward.firstByteScanner != nil)
        #expect(bounded.firstMatch(in: "x123 a123 123") == 10..<13)
        #expect(bounded.firstMatch(in: "123") == 0..<3)
        #expect(bounded.firstMatch(in: "ab_123") == nil)
        #expect(!bounded.matches(String(repeating: "word ", count: 50) + "x999"))
        #expect(bounded.matches(String(repeating: "word ", count: 50) + "999"))
        let lineStart = try SafeRegex(#"(?m)^\d+"#)
        #expect(lineStart.firstMatch(in: "a1\n22 3") == 3..<5)
        let notBoundary = try SafeRegex(#"\B\d"#)
        #expect(notBoundary.firstMatch(in: "- 5 x7") == 5..<6)
    }
}
