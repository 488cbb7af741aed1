import Testing
@testable import RampartRegex

/// Runs `hir` over `input` with the public API (meta strategy), the Pike VM alone and the DFAs alone, checks that
/// they agree, and returns the span.
func spanFromEveryEngine(_ hir: HIR, _ input: [UInt8], limits: RegexLimits = .default,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> Range<Int>?
{
    let regex = try SafeRegex(hir: hir, limits: limits)
    let meta = regex.firstMatch(in: input)
    let program = try Compiler.compile(hir, pattern: "", limits: limits)
    let reversed = try Compiler.compile(hir, pattern: "", limits: limits, reverse: true)
    var scratch = PikeVMScratch()
    let pike = input.withUnsafeBytes {
        PikeVM.search(program, $0, anchored: program.anchoredAtStart, earliest: false, scratch: &scratch)
    }
    let forward = LazyDFA(program: program, mode: .leftmostFirst, direction: .forward, budget: limits.dfaCacheBytes)
    let backward = LazyDFA(program: reversed, mode: .all, direction: .reverse, budget: limits.dfaCacheBytes)
    let dfa: Range<Int>?? = input.withUnsafeBytes { bytes -> Range<Int>?? in
        switch forward.searchForward(bytes, anchored: program.anchoredAtStart, earliest: false, cache: DFACache()) {
        case .noMatch: return .some(nil)
        case .gaveUp: return .none
        case .match(let end):
            guard case .match(let start) = backward.searchReverse(bytes, end: end, cache: DFACache()) else {
                return .some(nil)
            }
            return .some(start..<end)
        }
    }
    #expect(meta == pike, "meta vs Pike VM", sourceLocation: sourceLocation)
    if case .some(let dfaSpan) = dfa { #expect(dfaSpan == pike, "DFA vs Pike VM", sourceLocation: sourceLocation) }
    #expect(regex.matches(input) == (pike != nil), "matches vs firstMatch", sourceLocation: sourceLocation)
    return meta
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// One hand-checked case: pattern, input and RE2's answer.
struct SpanCase: Sendable, CustomTestStringConvertible {
    let name: String
    let hir: HIR
    let input: [UInt8]
    let expected: Range<Int>?
    var testDescription: String { name }

    init(_ name: String, _ hir: HIR, _ input: String, _ expected: Range<Int>?) {
        self.init(name, hir, Array(input.utf8), expected)
    }

    init(_ name: String, _ hir: HIR, _ input: [UInt8], _ expected: Range<Int>?) {
        self.name = name
        self.hir = hir
        self.input = input
        self.expected = expected
    }
}

@Suite struct EngineTests {
    static let leftmostFirst: [SpanCase] = [
        SpanCase("a|ab on ab", H.alt(H.lit("a"), H.lit("ab")), "ab", 0..<1),
        SpanCase("ab|a on ab", H.alt(H.lit("ab"), H.lit("a")), "ab", 0..<2),
        SpanCase("(a|ab)(c|bcd) on abcd",
                 H.cat(H.group(H.alt(H.lit("a"), H.lit("ab"))), H.group(H.alt(H.lit("c"), H.lit("bcd")))), "abcd",
                 0..<4),
        SpanCase("(a|ab)(c|bcd)(d*) on abcd",
                 H.cat(H.alt(H.lit("a"), H.lit("ab")), H.alt(H.lit("c"), H.lit("bcd")), H.star(H.lit("d"))),
                 "abcd", 0..<4),
        SpanCase("leftmost start wins over longer later match", H.alt(H.lit("b"), H.lit("abc")), "xabc", 1..<4),
        SpanCase("(a|b)*c", H.cat(H.star(H.chars("ab")), H.lit("c")), "xababcab", 1..<6),
        SpanCase("alternation of three", H.alt(H.lit("foo"), H.lit("bar"), H.lit("baz")), "xxbazbar", 2..<5),
        SpanCase("samba|sam on samba", H.alt(H.lit("sam"), H.lit("samba")), "samba", 0..<3),
        SpanCase("no match", H.alt(H.lit("cat"), H.lit("dog")), "a bird", nil),
        SpanCase("(a|)+ on aa", H.plus(H.alt(H.lit("a"), .empty)), "aa", 0..<2),
        SpanCase("(|a)+ on aa", H.plus(H.alt(.empty, H.lit("a"))), "aa", 0..<0),
        SpanCase("(|a)* on aa", H.star(H.alt(.empty, H.lit("a"))), "aa", 0..<0),
        SpanCase("(a*)+ on b", H.plus(H.star(H.lit("a"))), "b", 0..<0),
        SpanCase("(a*)* on aab", H.star(H.star(H.lit("a"))), "aab", 0..<2),
        SpanCase("(?:a*|b)+ on ab", H.plus(H.alt(H.star(H.lit("a")), H.lit("b"))), "ab", 0..<2),
    ]

    static let repetitions: [SpanCase] = [
        SpanCase("a* greedy", H.star(H.lit("a")), "aaa", 0..<3),
        SpanCase("a*? lazy", H.star(H.lit("a"), greedy: false), "aaa", 0..<0),
        SpanCase("a+? lazy", H.plus(H.lit("a"), greedy: false), "aaa", 0..<1),
        SpanCase("a?? lazy", H.quest(H.lit("a"), greedy: false), "a", 0..<0),
        SpanCase("a{2,3} greedy", H.rep(H.lit("a"), 2, 3), "aaaa", 0..<3),
        SpanCase("a{2,3}? lazy", H.rep(H.lit("a"), 2, 3, greedy: false), "aaaa", 0..<2),
        SpanCase("a{2,} greedy", H.rep(H.lit("a"), 2, nil), "baaaaa", 1..<6),
        SpanCase("a{2,}? lazy", H.rep(H.lit("a"), 2, nil, greedy: false), "baaaaa", 1..<3),
        SpanCase("a{3} exact", H.rep(H.lit("a"), 3, 3), "aa aaaa", 3..<6),
        SpanCase("a{0} is empty", H.rep(H.lit("a"), 0, 0), "aaa", 0..<0),
        SpanCase("a.*b greedy", H.cat(H.lit("a"), H.star(H.dot), H.lit("b")), "aXbXb", 0..<5),
        SpanCase("a.*?b lazy", H.cat(H.lit("a"), H.star(H.dot, greedy: false), H.lit("b")), "aXbXb", 0..<3),
        SpanCase(".* stops at newline", H.star(H.dot), "ab\ncd", 0..<2),
        SpanCase("(?s).* crosses newline", H.star(H.anyScalar), "ab\ncd", 0..<5),
        SpanCase("x* on abc is empty at 0", H.star(H.lit("x")), "abc", 0..<0),
        SpanCase("(ab)+ greedy", H.plus(H.group(H.lit("ab"))), "xababab", 1..<7),
        SpanCase("(ab)+? lazy then c", H.cat(H.plus(H.lit("ab"), greedy: false), H.lit("c")), "ababc", 0..<5),
        SpanCase("\\d{2,4}", H.rep(H.digit, 2, 4), "a1b12345", 3..<7),
        SpanCase("nested bounded", H.rep(H.rep(H.lit("a"), 1, 2), 2, 2), "aaaaa", 0..<4),
    ]

    static let anchors: [SpanCase] = [
        SpanCase("\\Aabc at start", H.cat(H.start, H.lit("abc")), "abcabc", 0..<3),
        SpanCase("\\Aabc not at start", H.cat(H.start, H.lit("abc")), "xabc", nil),
        SpanCase("abc\\z at end", H.cat(H.lit("abc"), H.end), "abcabc", 3..<6),
        SpanCase("abc\\z before newline", H.cat(H.lit("abc"), H.end), "abc\n", nil),
        SpanCase("\\A\\z on empty", H.cat(H.start, H.end), "", 0..<0),
        SpanCase("\\A\\z on non-empty", H.cat(H.start, H.end), "a", nil),
        SpanCase("(?m)^abc after newline", H.cat(H.lineStart, H.lit("abc")), "x\nabc", 2..<5),
        SpanCase("(?m)^abc not mid-line", H.cat(H.lineStart, H.lit("abc")), "xabc", nil),
        SpanCase("(?m)abc$ before newline", H.cat(H.lit("abc"), H.lineEnd), "abc\nx", 0..<3),
        SpanCase("(?m)^$ empty line", H.cat(H.lineStart, H.lineEnd), "a\n\nb", 2..<2),
        SpanCase("(?m)^ at every line: first", H.cat(H.lineStart, H.plus(H.lit("b"))), "a\nbb\nb", 2..<4),
        SpanCase("(?m)$ at end of text", H.cat(H.lit("b"), H.lineEnd), "ab", 1..<2),
        SpanCase("^ in middle of alternation", H.alt(H.cat(H.start, H.lit("b")), H.lit("c")), "abc", 2..<3),
        SpanCase("literal with both anchors", H.cat(H.start, H.lit("abc"), H.end), "abc", 0..<3),
        SpanCase("literal with both anchors, longer input", H.cat(H.start, H.lit("abc"), H.end), "abcd", nil),
    ]

    static let wordBoundaries: [SpanCase] = [
        SpanCase("\\bfoo\\b", H.cat(H.boundary, H.lit("foo"), H.boundary), "a foo b", 2..<5),
        SpanCase("\\bfoo\\b inside word", H.cat(H.boundary, H.lit("foo"), H.boundary), "afoo foob", nil),
        SpanCase("\\bfoo\\b at edges", H.cat(H.boundary, H.lit("foo"), H.boundary), "foo", 0..<3),
        SpanCase("\\Bfoo", H.cat(H.notBoundary, H.lit("foo")), "foo afoo", 5..<8),
        SpanCase("\\b on empty", H.boundary, "", nil),
        SpanCase("\\B on empty", H.notBoundary, "", 0..<0),
        SpanCase("\\b before punctuation", H.cat(H.lit("a"), H.boundary), "ab a.", 3..<4),
        SpanCase("(?:\\b|a)+ on a", H.plus(H.alt(H.boundary, H.lit("a"))), "a", 0..<0),
        SpanCase("(?:\\b|a)* on a", H.star(H.alt(H.boundary, H.lit("a"))), "a", 0..<0),
        SpanCase("(?:\\B|a)+ on a", H.plus(H.alt(H.notBoundary, H.lit("a"))), "a", 0..<1),
        SpanCase("(?:a|\\b)+ on aa", H.plus(H.alt(H.lit("a"), H.boundary)), "aa", 0..<2),
        SpanCase("\\w+\\b", H.cat(H.plus(H.word), H.boundary), "  hello, world", 2..<7),
        SpanCase("non-ASCII letters are not word bytes", H.cat(H.boundary, H.lit("é")), "é", nil),
    ]

    static let unicodeAndBytes: [SpanCase] = [
        SpanCase("Greek class", H.plus(H.set(0x3B1...0x3C9)), "xαβγy", 1..<7),
        SpanCase("4-byte scalar class", H.set(0x1F600...0x1F64F), "ok 😀!", 3..<7),
        SpanCase("dot over 3-byte scalar", H.cat(H.lit("a"), H.dot, H.lit("b")), "a€b", 0..<5),
        SpanCase("(?i)k matches KELVIN SIGN", H.caseless("k"), "\u{212A}", 0..<3),
        SpanCase("(?i)sql matches long s", H.caseless("sql"), "\u{17F}QL", 0..<4),
        SpanCase("(?i)select mixed case", H.caseless("select"), "1 UnIoN SeLeCt", 8..<14),
        SpanCase("(?i)straße does not match STRASSE", H.caseless("straße"), "STRASSE", nil),
        SpanCase("dot does not match invalid byte", H.dot, [0xFF, 0x41], 1..<2),
        SpanCase("dot does not match lone continuation", H.dot, [0x80], nil),
        SpanCase("dot does not match truncated sequence", H.dot, [0xE2, 0x82], nil),
        SpanCase("U+00FF literal does not match raw 0xFF", H.lit("\u{FF}"), [0xFF], nil),
        SpanCase("negated class skips invalid bytes", H.set(0x62...0x10FFFF), [0xC3, 0x61, 0x62], 2..<3),
        SpanCase("surrogates never match", H.set(0xD800...0xDFFF), [0xED, 0xA0, 0x80], nil),
        SpanCase("literal after invalid bytes", H.lit("ab"), [0xFF, 0xFE, 0x61, 0x62], 2..<4),
        SpanCase("empty pattern on empty input", .empty, "", 0..<0),
        SpanCase("empty pattern on text", .empty, "abc", 0..<0),
        SpanCase("no-match node", .noMatch, "abc", nil),
        SpanCase("class alternation with empty branch", H.cat(H.lit("a"), H.alt(H.lit("b"), .empty), H.lit("c")),
                 "ac", 0..<2),
    ]

    @Test(arguments: leftmostFirst) func leftmostFirstSpans(_ test: SpanCase) throws {
        #expect(try spanFromEveryEngine(test.hir, test.input) == test.expected)
    }

    @Test(arguments: repetitions) func greedyAndLazyRepetitions(_ test: SpanCase) throws {
        #expect(try spanFromEveryEngine(test.hir, test.input) == test.expected)
    }

    @Test(arguments: anchors) func textAndLineAnchors(_ test: SpanCase) throws {
        #expect(try spanFromEveryEngine(test.hir, test.input) == test.expected)
    }

    @Test(arguments: wordBoundaries) func wordBoundarySpans(_ test: SpanCase) throws {
        #expect(try spanFromEveryEngine(test.hir, test.input) == test.expected)
    }

    @Test(arguments: unicodeAndBytes) func unicodeAndInvalidUTF8(_ test: SpanCase) throws {
        #expect(try spanFromEveryEngine(test.hir, test.input) == test.expected)
    }

    @Test func stringSubstringAndBufferOverloadsAgree() throws {
        let regex = try SafeRegex(hir: H.cat(H.boundary, H.plus(H.digit), H.boundary))
        let text = "order 1234 shipped"
        #expect(regex.firstMatch(in: text) == 6..<10)
        #expect(regex.firstMatch(in: text.dropFirst(2)) == 4..<8)
        #expect(regex.firstMatch(in: Array(text.utf8)) == 6..<10)
        #expect(regex.firstMatch(in: text.utf8) == 6..<10)
        let fromBuffer = Array(text.utf8).withUnsafeBytes { regex.firstMatch(in: $0) }
        #expect(fromBuffer == 6..<10)
        #expect(regex.matches(text) && regex.matches(text.dropFirst(2)) && !regex.matches("no digits"))
        #expect(Array("x".utf8).withUnsafeBytes { !regex.matches($0) })
    }

    @Test func programSizeLimitIsEnforced() {
        let huge = H.rep(H.rep(H.set(0x61...0x7A, 0x3B1...0x3C9), 100, 100), 100, 100)
        #expect(throws: RegexError.self) { try SafeRegex(hir: huge, limits: RegexLimits(maxProgramSize: 5_000)) }
        do {
            _ = try SafeRegex(hir: huge, pattern: "big", limits: RegexLimits(maxProgramSize: 5_000))
        } catch {
            #expect(error.kind == .programTooLarge(limit: 5_000))
        }
    }

    @Test func tinyCacheStillGivesCorrectAnswers() throws {
        // A cache too small for more than a couple of states forces resets and the Pike VM fallback.
        let tiny = RegexLimits(dfaCacheBytes: 64)
        let hir = H.cat(H.plus(H.set(0x61...0x7A)), H.lit("@"), H.rep(H.word, 2, 8), H.boundary)
        var input = [UInt8]()
        for index in 0..<3_000 { input.append(UInt8(0x61 + index % 26)) }
        input.append(contentsOf: Array(" x@yz12 ".utf8))
        let span = try spanFromEveryEngine(hir, input, limits: tiny)
        #expect(span == 3_001..<3_007)
        let regex = try SafeRegex(hir: hir, limits: tiny)
        #expect(regex.matches(input))
        #expect(!regex.matches(Array(input.prefix(3_000))))
    }
}
