import Testing
@testable import RampartWAF

@Suite struct PhraseMatcherTests {
    func match(_ phrases: [String], _ input: String, wordBoundary: Bool = false) -> String? {
        let matcher = PhraseMatcher(phrases: phrases, wordBoundary: wordBoundary)
        let bytes = Array(input.utf8)
        return matcher.firstMatch(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// Results observed from libddwaf 2.1's `phrase_match` on the same lists and inputs.
    @Test func libddwafWalkWithoutWordBoundary() {
        #expect(match(["a"], "xax") == "a")
        #expect(match(["abcd", "bc"], "abcx") == "bc")
        #expect(match(["abcd", "bc"], "xbc") == "bc")
        #expect(match(["abcd", "bc"], "abcd") == "abcd")
        #expect(match(["abcd", "bc"], "abc") == nil)  // `bc` ends inside `abcd`'s path: never reported
        #expect(match(["abcd", "b"], "abz") == "b")
        #expect(match(["abcd", "b"], "abc") == nil)
        #expect(match(["ab", "abcdef", "cd"], "xx cd abcdef ab") == "cd")  // first phrase end reached
        #expect(match(["ab", "abcdef", "cd"], "abcdefg cd") == "ab")
        #expect(match(["select", "union"], "UNION SELECT") == nil)  // case-sensitive
    }

    @Test func libddwafWalkWithWordBoundary() {
        #expect(match(["a"], "a", wordBoundary: true) == "a")
        #expect(match(["a"], "xa", wordBoundary: true) == nil)
        #expect(match(["abcd", "bc"], "abcd", wordBoundary: true) == "abcd")
        #expect(match(["abcd", "bc"], "xbc", wordBoundary: true) == nil)
        #expect(match(["ab", "abcdef", "cd"], "xx cd abcdef ab", wordBoundary: true) == "abcdef")  // longest
        // The longest match is inside a word, which hides the bounded `cd`.
        #expect(match(["ab", "abcdef", "cd"], "abcdefg cd", wordBoundary: true) == nil)
        #expect(match(["ab", "abcdef", "cd"], "zab cd", wordBoundary: true) == nil)  // equal lengths: earliest
        #expect(match(["union"], "1 union-select", wordBoundary: true) == "union")
        #expect(match(["union"], "x_union", wordBoundary: true) == nil)  // `_` is a word character
        #expect(match([" or "], "a or b", wordBoundary: true) == " or ")  // edges made of non-word bytes count
        #expect(match(["é"], "café", wordBoundary: true) == "é")
    }

    @Test func edgeCases() {
        #expect(match([], "anything") == nil)
        #expect(match([""], "anything") == nil)
        #expect(match(["x"], "") == nil)
        #expect(PhraseMatcher(phrases: ["a", "a", "", "b"]).phraseCount == 2)
        let bytes: [UInt8] = [0xFF, 0x00, 0xC3, 0xA9]
        #expect(PhraseMatcher(phrases: [[0x00, 0xC3]]).firstMatch(in: bytes) == 1..<3)
        #expect(match(["é"], "café") == "é")
    }

    /// Phrase lists where no phrase occurs inside another at an offset > 0: there libddwaf's walk sees every
    /// occurrence, so it must agree with a brute-force search — first-ending occurrence, or the longest one.
    @Test func agreesWithBruteForceOnRandomInputs() {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("abc _".utf8)
        func randomString(_ length: Int) -> [UInt8] {
            (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        }
        for round in 0..<400 {
            var phrases: [[UInt8]] = []
            for _ in 0..<(1 + Int(generator.next() % 6)) { phrases.append(randomString(1 + Int(generator.next() % 4))) }
            phrases = phrases.filter { phrase in
                !phrases.contains { other in other != phrase && other.count > 1 && Self.occurs(phrase, in: Array(other.dropFirst())) }
            }
            let text = randomString(Int(generator.next() % 30))
            let wordBoundary = round % 2 == 1
            let matcher = PhraseMatcher(phrases: phrases, wordBoundary: wordBoundary)
            let expected = Self.bruteForce(phrases, text, longest: wordBoundary)
                .flatMap { wordBoundary && !Self.bounded($0, in: text) ? nil : $0 }
            #expect(matcher.firstMatch(in: text) == expected, "phrases \(phrases) text \(text) wb \(wordBoundary)")
        }
    }

    /// On any list, a reported range is an occurrence of one of the phrases.
    @Test func reportsOnlyRealOccurrences() {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("ab".utf8)
        for _ in 0..<300 {
            let phrases = (0..<4).map { _ in (0..<(1 + Int(generator.next() % 4))).map { _ in alphabet[Int(generator.next() % 2)] } }
            let text = (0..<Int(generator.next() % 20)).map { _ in alphabet[Int(generator.next() % 2)] }
            if let range = PhraseMatcher(phrases: phrases).firstMatch(in: text) {
                #expect(phrases.contains(Array(text[range])))
            }
        }
    }

    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    static func bruteForce(_ phrases: [[UInt8]], _ text: [UInt8], longest: Bool) -> Range<Int>? {
        var occurrences: [Range<Int>] = []
        for phrase in Set(phrases) where phrase.count <= text.count {
            for start in 0...(text.count - phrase.count) where Array(text[start..<(start + phrase.count)]) == phrase {
                occurrences.append(start..<(start + phrase.count))
            }
        }
        let byEnd = occurrences.sorted { $0.upperBound < $1.upperBound }
        if !longest { return byEnd.first }
        return byEnd.reduce(nil) { best, next in (best.map { next.count > $0.count } ?? true) ? next : best }
    }

    static func bounded(_ range: Range<Int>, in text: [UInt8]) -> Bool {
        func word(_ index: Int) -> Bool { !PhraseMatcher.isBoundary(text[index]) }
        let start = range.lowerBound, last = range.upperBound - 1
        return (start == 0 || !word(start) || !word(start - 1)) && (last + 1 == text.count || !word(last) || !word(last + 1))
    }
}
