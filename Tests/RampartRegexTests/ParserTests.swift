import Testing
@testable import RampartRegex

private func parse(_ pattern: String, _ options: RegexOptions = []) throws -> HIR {
    try RegexParser.parse(pattern, options: options)
}

private func literal(_ text: String) -> HIR { .literal(Array(text.unicodeScalars)) }

private func characterClass(_ ranges: ClosedRange<UInt32>...) -> HIR { .characterClass(CodePointSet(ranges)) }

private func parseError(_ pattern: String, _ options: RegexOptions = []) -> RegexError? {
    do {
        _ = try RegexParser.parse(pattern, options: options)
        return nil
    } catch {
        return error
    }
}

/// The set a single-class pattern parses to (a one-scalar class parses to a literal).
private func classSet(_ pattern: String, _ options: RegexOptions = []) throws -> CodePointSet? {
    switch try parse(pattern, options) {
    case .characterClass(let set): return set
    case .literal(let scalars) where scalars.count == 1: return CodePointSet([scalars[0].value...scalars[0].value])
    default: return nil
    }
}

@Suite struct ParserLiteralTests {
    @Test func emptyPatternIsEmpty() throws {
        #expect(try parse("") == .empty)
    }

    @Test func adjacentLiteralsMerge() throws {
        #expect(try parse("abc") == literal("abc"))
        #expect(try parse("héllo€𝄞") == literal("héllo€𝄞"))
    }

    @Test(arguments: [
        (#"\t"#, "\t"), (#"\n"#, "\n"), (#"\r"#, "\r"), (#"\f"#, "\u{0C}"), (#"\v"#, "\u{0B}"), (#"\a"#, "\u{07}"),
        (#"\x41"#, "A"), (#"\x{10FFFF}"#, "\u{10FFFF}"), (#"\x{e9}"#, "é"), (#"\123"#, "S"), (#"\0"#, "\u{0}"),
        (#"\012"#, "\n"), (#"\08"#, "\u{0}8"), (#"\400"#, "\u{100}"), (#"\."#, "."), (#"\_"#, "_"), (#"\ "#, " "),
        (#"\*\+\?\(\)\[\]\{\}\|\^\$\\"#, #"*+?()[]{}|^$\"#),
    ])
    func escapes(pattern: String, expected: String) throws {
        #expect(try parse(pattern) == literal(expected))
    }

    @Test func quotedTextIsLiteral() throws {
        #expect(try parse(#"\Qa.b*c\E+"#) == .concatenation([literal("a.b*"), .repetition(literal("c"), min: 1, max: nil, greedy: true)]))
        #expect(try parse(#"\Q(x"#) == literal("(x"))
        // Inside \Q, a backslash is literal, so `\\E` is `\` then the terminator.
        #expect(try parse(#"\Qa\\E"#) == literal(#"a\"#))
    }

    @Test func braceThatIsNotARepetitionIsLiteral() throws {
        #expect(try parse("x{,3}") == literal("x{,3}"))
        #expect(try parse("x{01}") == literal("x{01}"))
        #expect(try parse("{") == literal("{"))
        #expect(try parse("a{2") == literal("a{2"))
    }

    @Test func surrogateEscapeBecomesAClassNotALiteral() throws {
        #expect(try parse(#"\x{D800}"#) == characterClass(0xD800...0xD800))
    }
}

@Suite struct ParserStructureTests {
    @Test func alternationAndConcatenation() throws {
        #expect(try parse("ab|c|") == .alternation([literal("ab"), literal("c"), .empty]))
        #expect(try parse("a(b|c)d") == .concatenation([
            literal("a"), .capture(index: 1, name: nil, .alternation([literal("b"), literal("c")])), literal("d"),
        ]))
    }

    @Test func capturesAreNumberedInOpeningOrder() throws {
        #expect(try parse("((a)(?:b)(?P<x>c)(?<y>d))") == .capture(index: 1, name: nil, .concatenation([
            .capture(index: 2, name: nil, literal("a")), literal("b"),
            .capture(index: 3, name: "x", literal("c")), .capture(index: 4, name: "y", literal("d")),
        ])))
    }

    @Test func unicodeCaptureNamesAndDuplicatesAreAcceptedAsRE2Does() throws {
        #expect(try parse("(?P<né1>a)") == .capture(index: 1, name: "né1", literal("a")))
        #expect(try parse("(?P<n>a)(?P<n>b)") == .concatenation([
            .capture(index: 1, name: "n", literal("a")), .capture(index: 2, name: "n", literal("b")),
        ]))
    }

    @Test func emptyGroups() throws {
        #expect(try parse("()") == .capture(index: 1, name: nil, .empty))
        #expect(try parse("(?:)a") == literal("a"))
        #expect(try parse("(?)a") == literal("a"))
    }

    @Test func repetitionOperators() throws {
        #expect(try parse("a*") == .repetition(literal("a"), min: 0, max: nil, greedy: true))
        #expect(try parse("a+") == .repetition(literal("a"), min: 1, max: nil, greedy: true))
        #expect(try parse("a?") == .repetition(literal("a"), min: 0, max: 1, greedy: true))
        #expect(try parse("a{3}") == .repetition(literal("a"), min: 3, max: 3, greedy: true))
        #expect(try parse("a{3,}") == .repetition(literal("a"), min: 3, max: nil, greedy: true))
        #expect(try parse("a{3,5}") == .repetition(literal("a"), min: 3, max: 5, greedy: true))
        #expect(try parse("a{0}") == .repetition(literal("a"), min: 0, max: 0, greedy: true))
    }

    @Test func lazyRepetitions() throws {
        #expect(try parse("a*?") == .repetition(literal("a"), min: 0, max: nil, greedy: false))
        #expect(try parse("a+?") == .repetition(literal("a"), min: 1, max: nil, greedy: false))
        #expect(try parse("a??") == .repetition(literal("a"), min: 0, max: 1, greedy: false))
        #expect(try parse("a{2,3}?") == .repetition(literal("a"), min: 2, max: 3, greedy: false))
    }

    @Test func ungreedyFlagSwapsLaziness() throws {
        #expect(try parse("(?U)a*") == .repetition(literal("a"), min: 0, max: nil, greedy: false))
        #expect(try parse("(?U)a*?") == .repetition(literal("a"), min: 0, max: nil, greedy: true))
        #expect(try parse("a+", .ungreedy) == .repetition(literal("a"), min: 1, max: nil, greedy: false))
    }

    @Test func repetitionBindsToTheLastScalarOnly() throws {
        #expect(try parse("ab+") == .concatenation([literal("a"), .repetition(literal("b"), min: 1, max: nil, greedy: true)]))
    }

    @Test func repetitionOfAnAssertionIsAllowedAsInRE2() throws {
        #expect(try parse("^*") == .repetition(.assertion(.startOfText), min: 0, max: nil, greedy: true))
    }

    @Test func repeatLimitAndNestedProduct() throws {
        #expect(throws: Never.self) { try parse("a{1000}") }
        #expect(throws: Never.self) { try parse("(a{10}){100}") }
        #expect(throws: Never.self) { try parse("((a{10}){10}){10}") }
        #expect(parseError("a{1001}")?.kind == .repetitionTooLarge)
        #expect(parseError("a{2,1001}")?.kind == .repetitionTooLarge)
        #expect(parseError("(a{2}){501}") == RegexError(.repetitionTooLarge, offset: 6, pattern: "(a{2}){501}"))
        #expect(parseError("(?:a{1000}){2}")?.kind == .repetitionTooLarge)
        #expect(parseError("((a{10}){10}){11}")?.kind == .repetitionTooLarge)
    }

    @Test func anchorsFollowTheMultilineFlag() throws {
        #expect(try parse("^a$") == .concatenation([.assertion(.startOfText), literal("a"), .assertion(.endOfText)]))
        #expect(try parse("(?m)^a$") == .concatenation([.assertion(.startOfLine), literal("a"), .assertion(.endOfLine)]))
        #expect(try parse("^$", .multiline) == .concatenation([.assertion(.startOfLine), .assertion(.endOfLine)]))
        #expect(try parse(#"\A\z"#, .multiline) == .concatenation([.assertion(.startOfText), .assertion(.endOfText)]))
        #expect(try parse(#"\b\B"#) == .concatenation([.assertion(.wordBoundary), .assertion(.notWordBoundary)]))
    }

    @Test func dotFollowsTheDotAllFlag() throws {
        #expect(try parse(".") == characterClass(0...9, 11...0x10FFFF))
        #expect(try parse("(?s).") == characterClass(0...0x10FFFF))
        #expect(try parse(".", .dotMatchesNewline) == characterClass(0...0x10FFFF))
    }

    @Test func scopedFlagsEndWithTheirGroup() throws {
        #expect(try parse("(?i:a)a") == .concatenation([characterClass(0x41...0x41, 0x61...0x61), literal("a")]))
        #expect(try parse("((?i)a)a") == .concatenation([
            .capture(index: 1, name: nil, characterClass(0x41...0x41, 0x61...0x61)), literal("a"),
        ]))
        #expect(try parse("(?i)a(?-i)a") == .concatenation([characterClass(0x41...0x41, 0x61...0x61), literal("a")]))
        // Flags set in one branch stay in force in the next, as in RE2.
        #expect(try parse("(?:(?i)a|b)") == .alternation([
            characterClass(0x41...0x41, 0x61...0x61), characterClass(0x42...0x42, 0x62...0x62),
        ]))
        #expect(try parse("a", .caseInsensitive) == characterClass(0x41...0x41, 0x61...0x61))
        #expect(try parse("(?-i)a", .caseInsensitive) == literal("a"))
    }

    @Test func deepNestingIsParsedWithoutRecursionUpToTheLimit() throws {
        let depth = RegexParser.maxNestingDepth
        var hir = try parse(String(repeating: "(?:", count: depth) + "a" + String(repeating: ")*", count: depth))
        var levels = 0
        while case .repetition(let inner, _, _, _) = hir {
            hir = inner
            levels += 1
        }
        #expect(levels == depth)
        #expect(hir == literal("a"))
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        let depth = RegexParser.maxNestingDepth + 1
        let pattern = String(repeating: "(", count: depth) + String(repeating: ")", count: depth)
        #expect(parseError(pattern) == RegexError(.nestingTooDeep, offset: depth - 1, pattern: pattern))
    }
}

@Suite struct ParserClassTests {
    @Test func rangesAndSingles() throws {
        #expect(try parse("[a-cx]") == characterClass(0x61...0x63, 0x78...0x78))
        #expect(try parse("[a]") == literal("a"))
        #expect(try parse("[-a]") == characterClass(0x2D...0x2D, 0x61...0x61))
        #expect(try parse("[a-]") == characterClass(0x2D...0x2D, 0x61...0x61))
        #expect(try parse("[a-b-c]") == characterClass(0x2D...0x2D, 0x61...0x63))
    }

    @Test func closingBracketFirstIsLiteral() throws {
        #expect(try parse("[]a]") == characterClass(0x5D...0x5D, 0x61...0x61))
        #expect(try parse("[^]a]") == .characterClass(CodePointSet([0x5D...0x5D, 0x61...0x61]).inverted()))
    }

    @Test func negatedClassIncludesNewlineAsRE2() throws {
        let set = try #require(try classSet("[^a]"))
        #expect(set.contains(0x0A))
        #expect(!set.contains(0x61))
        #expect(set.contains(0x10FFFF))
    }

    @Test func emptyClassMatchesNothing() throws {
        #expect(try parse(#"[^\x00-\x{10FFFF}]"#) == .noMatch)
        #expect(try parse(#"\P{Any}"#) == .noMatch)
    }

    @Test func mixedMembers() throws {
        #expect(try parse(#"[a-z[:digit:]\d_]"#) == characterClass(0x30...0x39, 0x5F...0x5F, 0x61...0x7A))
        #expect(try parse(#"[\d-z]"#) == characterClass(0x2D...0x2D, 0x30...0x39, 0x7A...0x7A))
        #expect(try parse(#"[\x41-\x43\n]"#) == characterClass(0x0A...0x0A, 0x41...0x43))
    }

    @Test func perlClassesAreASCII() throws {
        #expect(try parse(#"\d"#) == characterClass(0x30...0x39))
        #expect(try parse(#"\s"#) == characterClass(0x09...0x0A, 0x0C...0x0D, 0x20...0x20))
        #expect(try parse(#"\w"#) == characterClass(0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A))
        #expect(try parse(#"\D"#) == .characterClass(CodePointSet([0x30...0x39]).inverted()))
        let notSpace = try #require(try classSet(#"\S"#))
        #expect(notSpace.contains(0x0B))  // \v is not in RE2's \s
        #expect(!notSpace.contains(0x20))
    }

    @Test(arguments: [
        ("alnum", "a0Z", "_-"), ("alpha", "aZ", "0_"), ("ascii", "\u{0}\u{7F}", "é"), ("blank", " \t", "\n"),
        ("cntrl", "\u{1}\u{7F}", " "), ("digit", "09", "a"), ("graph", "!~", " "), ("lower", "az", "A"),
        ("print", " ~", "\u{7F}"), ("punct", "!/:@[`{~", "a0 "), ("space", " \t\n\u{0B}\u{0C}\r", "a"),
        ("upper", "AZ", "a"), ("word", "a_0", "-"), ("xdigit", "09afAF", "gG"),
    ])
    func posixClasses(name: String, members: String, nonMembers: String) throws {
        let set = try #require(try classSet("[[:\(name):]]"))
        for scalar in members.unicodeScalars { #expect(set.contains(scalar.value), "\(name) should hold \(scalar)") }
        for scalar in nonMembers.unicodeScalars { #expect(!set.contains(scalar.value), "\(name) should not hold \(scalar)") }
        let negated = try #require(try classSet("[[:^\(name):]]"))
        #expect(negated == set.inverted())
    }

    @Test func posixLookalikeWithoutClosingIsLiteral() throws {
        #expect(try parse("[[:x]") == characterClass(0x3A...0x3A, 0x5B...0x5B, 0x78...0x78))
    }

    @Test func unicodeGeneralCategories() throws {
        let letters = try #require(try classSet(#"\pL"#))
        #expect(letters.contains(0x61) && letters.contains(0x4E2D) && letters.contains(0x3B1))
        #expect(!letters.contains(0x30))
        let upper = try #require(try classSet(#"\p{Lu}"#))
        #expect(upper.contains(0x41) && upper.contains(0x391) && !upper.contains(0x61))
        let numbers = try #require(try classSet(#"\pN"#))
        #expect(numbers.contains(0x35) && numbers.contains(0x664) && numbers.contains(0xBD))
        let notNumbers = try #require(try classSet(#"\PN"#))
        #expect(notNumbers == numbers.inverted())
        #expect(try classSet(#"\p{^N}"#) == notNumbers)
        #expect(try classSet(#"\P{^N}"#) == numbers)
        let spaces = try #require(try classSet(#"\p{Zs}"#))
        #expect(spaces.contains(0x3000) && spaces.contains(0x20))
        let privateUse = try #require(try classSet(#"\p{Co}"#))
        #expect(privateUse.contains(0xE000) && privateUse.contains(0xF8FF) && privateUse.contains(0x10FFFD))
    }

    @Test func unicodeScripts() throws {
        let greek = try #require(try classSet(#"\p{Greek}"#))
        #expect(greek.contains(0x3B1) && greek.contains(0x391) && !greek.contains(0x61))
        #expect(try classSet(#"\p{^Greek}"#) == greek.inverted())
        #expect(try classSet(#"\P{Greek}"#) == greek.inverted())
        let han = try #require(try classSet(#"\p{Han}"#))
        #expect(han.contains(0x4E2D) && han.contains(0x20000))
        let cyrillic = try #require(try classSet(#"[\p{Cyrillic}\d]"#))
        #expect(cyrillic.contains(0x416) && cyrillic.contains(0x35))
        #expect(try classSet(#"\p{Any}"#) == CodePointSet([0...0x10FFFF]))
    }
}

@Suite struct ParserCaseFoldingTests {
    @Test func literalBecomesItsOrbit() throws {
        #expect(try parse("(?i)k") == characterClass(0x4B...0x4B, 0x6B...0x6B, 0x212A...0x212A))
        #expect(try parse("(?i)s") == characterClass(0x53...0x53, 0x73...0x73, 0x17F...0x17F))
        #expect(try parse("(?i)ß") == characterClass(0xDF...0xDF, 0x1E9E...0x1E9E))
        #expect(try parse("(?i)σ") == characterClass(0x3A3...0x3A3, 0x3C2...0x3C3))
    }

    @Test func scalarsWithoutCaseStayLiteral() throws {
        #expect(try parse("(?i)1-") == literal("1-"))
        #expect(try parse("(?i)a1") == .concatenation([characterClass(0x41...0x41, 0x61...0x61), literal("1")]))
    }

    @Test func classRangesAreFolded() throws {
        let set = try #require(try classSet("(?i)[a-z]"))
        #expect(set == CodePointSet([0x41...0x5A, 0x61...0x7A, 0x17F...0x17F, 0x212A...0x212A]))
        #expect(try classSet("(?i)[K]") == CodePointSet([0x4B...0x4B, 0x6B...0x6B, 0x212A...0x212A]))
    }

    @Test func negatedClassExcludesTheWholeOrbit() throws {
        let set = try #require(try classSet("(?i)[^k]"))
        #expect(!set.contains(0x6B) && !set.contains(0x4B) && !set.contains(0x212A))
        #expect(set.contains(0x6A))
    }

    @Test func perlAndPOSIXClassesFoldAsRE2() throws {
        let word = try #require(try classSet(#"(?i)\w"#))
        #expect(word.contains(0x212A) && word.contains(0x17F))
        let notWord = try #require(try classSet(#"(?i)\W"#))
        #expect(notWord == word.inverted())
        #expect(!notWord.contains(0x212A))
        let upper = try #require(try classSet("(?i)[[:upper:]]"))
        #expect(upper.contains(0x61) && upper.contains(0x41))
        let notUpper = try #require(try classSet("(?i)[[:^upper:]]"))
        #expect(!notUpper.contains(0x61) && !notUpper.contains(0x41))
    }

    @Test func unicodeClassesFold() throws {
        let upper = try #require(try classSet(#"(?i)\p{Lu}"#))
        #expect(upper.contains(0x61) && upper.contains(0x3B1))
        let notUpper = try #require(try classSet(#"(?i)\P{Lu}"#))
        #expect(!notUpper.contains(0x61) && !notUpper.contains(0x41))
    }

    @Test func orbitTableIsClosed() {
        let table = UnicodeTables.caseOrbitNext
        var index = 0
        while index + 1 < table.count {
            let orbit = CaseFolding.orbit(of: table[index])
            #expect(orbit.count >= 2 && orbit.count <= 4)
            #expect(CaseFolding.orbit(of: orbit[1]).sorted() == orbit.sorted())
            index += 2
        }
    }
}

@Suite struct ParserErrorTests {
    @Test(arguments: [
        (#"(a)\1"#, 3), (#"\7"#, 0), (#"ab\9"#, 2), (#"\k<n>"#, 0), ("(?P=n)", 0), ("x(?=a)", 1), ("(?!a)", 0),
        ("ab(?<=a)", 2), ("(?<!a)", 0), ("a*+", 1), ("ba++", 2), ("a{2}+", 1), ("(?>a)", 0), (#"\C"#, 0),
        (#"a\Z"#, 1), ("(?#comment)", 0), ("(?|a)", 0), ("(?R)", 0), ("(?1)", 0),
    ])
    func unsupportedConstructsNameTheirOffset(pattern: String, offset: Int) throws {
        let error = try #require(parseError(pattern))
        guard case .unsupported = error.kind else {
            Issue.record("expected .unsupported for \(pattern), got \(error.kind)")
            return
        }
        #expect(error.offset == offset)
        #expect(error.description.contains("offset \(offset)"))
    }

    @Test(arguments: [
        ("a**", RegexError.Kind.invalidRepetition("**: repetition operators cannot be stacked"), 1),
        ("a{2}*", .invalidRepetition("{2}*: repetition operators cannot be stacked"), 1),
        ("a{2,1}", .invalidRepetition("{2,1}: maximum below minimum"), 1),
        ("*a", .missingRepetitionArgument, 0),
        ("a|*", .missingRepetitionArgument, 2),
        ("(+)", .missingRepetitionArgument, 1),
        ("(?i)*", .missingRepetitionArgument, 4),
        ("(ab", .missingClosingParenthesis, 0),
        ("a(b(c)", .missingClosingParenthesis, 1),
        ("ab)", .unexpectedClosingParenthesis, 2),
        ("x[ab", .missingClosingBracket, 1),
        ("[]", .missingClosingBracket, 0),
        (#"[a\"#, .trailingBackslash, 2),
        (#"ab\"#, .trailingBackslash, 2),
        ("[z-a]", .invalidCharacterRange("z-a"), 1),
        (#"[a-\d]"#, .invalidEscape(#"\d"#), 3),
        (#"\e"#, .invalidEscape(#"\e"#), 0),
        (#"é\é"#, .invalidEscape(#"\é"#), 2),
        (#"\x4"#, .invalidEscape(#"\x4"#), 0),
        (#"\x{}"#, .invalidEscape(#"\x{}"#), 0),
        (#"\x{110000}"#, .invalidEscape(#"\x{110000"#), 0),
        (#"[\b]"#, .invalidEscape(#"\b"#), 1),
        ("[[:foo:]]", .invalidCharacterClass("[:foo:]"), 1),
        ("[[:a]b:]]", .invalidCharacterClass("[:a]b:]"), 1),
        (#"\p{greek}"#, .invalidUnicodeClass(#"\p{greek}"#), 0),
        (#"\p{Cn}"#, .invalidUnicodeClass(#"\p{Cn}"#), 0),
        (#"a\p{L"#, .invalidUnicodeClass(#"\p{L"#), 1),
        (#"\p"#, .invalidUnicodeClass(#"\p"#), 0),
        (#"[\p]"#, .invalidUnicodeClass(#"\p]"#), 1),
        ("(?P<>a)", .invalidGroupName(""), 0),
        ("(?P<a-b>c)", .invalidGroupName("a-b"), 0),
        ("(?P<name", .invalidGroupName("(?P<name"), 0),
        ("(?x)a", .invalidFlags("(?x"), 0),
        ("(?i-)a", .invalidFlags("(?i-)"), 0),
        ("(?--i)a", .invalidFlags("(?--"), 0),
        ("(?i", .invalidFlags("(?i"), 0),
    ])
    func rejectedPatterns(pattern: String, kind: RegexError.Kind, offset: Int) {
        #expect(parseError(pattern) == RegexError(kind, offset: offset, pattern: pattern))
    }

    @Test func offsetsAreUTF8Bytes() throws {
        let error = try #require(parseError("éé€(?=x)"))
        #expect(error.offset == 7)
    }
}
