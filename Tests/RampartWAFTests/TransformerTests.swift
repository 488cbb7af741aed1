import Testing
@testable import RampartWAF

/// Edge cases per transformer. Expected values are libddwaf 2.1's outputs (each one also checked by
/// `TransformerOracleTests` against the real library); nil means "left unchanged".
@Suite struct TransformerTests {
    func run(_ transformer: Transformer, _ input: [UInt8]) -> [UInt8]? { transformer.apply(to: input) }
    func run(_ transformer: Transformer, _ input: String) -> String? {
        transformer.apply(to: Array(input.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func namesAndAliases() {
        #expect(Transformer(ddwafName: "url_decode") == .urlDecode)
        #expect(Transformer(ddwafName: "urlDecodeUni") == .urlDecodeUni)
        #expect(Transformer(ddwafName: "url_decode_iis") == .urlDecodeUni)
        #expect(Transformer(ddwafName: "cmdLine") == .shellUnescape)
        #expect(Transformer(ddwafName: "_sqr_filename") == .urlPath)
        #expect(Transformer(ddwafName: "compressWhiteSpace") == .compressWhitespace)
        #expect(Transformer(ddwafName: "compressWhitespace") == nil)  // libddwaf rejects this spelling
        #expect(Transformer(ddwafName: "base64DecodeExt") == nil)
        #expect(Transformer(ddwafName: "keys_only") == nil)  // an input selector, not a transformer
        for transformer in Transformer.allCases {
            #expect(Transformer(ddwafName: transformer.ddwafName) == transformer)
            #expect(Transformer(ddwafName: transformer.rawValue) == transformer)
        }
        #expect(Transformer.cmdLine == .shellUnescape)
    }

    @Test func emptyValuesAreNeverTransformed() {
        for transformer in Transformer.allCases { #expect(transformer.apply(to: []) == nil) }
    }

    @Test func lowercase() {
        #expect(run(.lowercase, "ABC def") == "abc def")
        #expect(run(.lowercase, "already lower 123") == nil)
        #expect(run(.lowercase, [0xC3, 0x89, 0x41]) == [0xC3, 0x89, 0x61])  // only ASCII changes
    }

    @Test func removeNullsAndCompressWhitespace() {
        #expect(run(.removeNulls, [0, 0x61, 0, 0x62, 0]) == [0x61, 0x62])
        #expect(run(.removeNulls, "abc") == nil)
        #expect(run(.compressWhitespace, "a  b   c ") == "a b c ")
        #expect(run(.compressWhitespace, "a  ") == "a ")
        #expect(run(.compressWhitespace, "a\t\tb \t c") == nil)  // only U+0020 runs
    }

    @Test func normalizePath() {
        #expect(run(.normalizePath, "/a/b/../c/./d") == "/a/c/d")
        #expect(run(.normalizePath, "../../etc/passwd") == "/etc/passwd")
        #expect(run(.normalizePath, "./x") == "x")
        #expect(run(.normalizePath, "/../..") == "/")
        #expect(run(.normalizePath, "a/..") == "/")
        #expect(run(.normalizePath, "/a/b/..") == "/a/")
        // libddwaf only notices a change when a byte moved: a lone trailing `/.` or `/./` stays.
        #expect(run(.normalizePath, "/./") == nil)
        #expect(run(.normalizePath, "/a/b/.") == nil)
        #expect(run(.normalizePath, "/.../x") == nil)
        #expect(run(.normalizePath, "..") == nil)
        #expect(run(.normalizePathWin, #"C:\Windows\..\system32\.\x"#) == "C:/system32/x")
        #expect(run(.normalizePathWin, #"a\b"#) == "a/b")
        #expect(run(.normalizePathWin, #"a\."#) == "a/.")  // backslash swap counts, the path itself is untouched
    }

    @Test func urlDecode() {
        #expect(run(.urlDecode, "a+b%20c") == "a b c")
        #expect(run(.urlDecode, "%41%4") == "A%4")  // truncated escape kept
        #expect(run(.urlDecode, "%zz%") == nil)
        #expect(run(.urlDecode, "%2525%2541") == "%25%41")  // one pass only
        #expect(run(.urlDecode, [0x25, 0x66, 0x66]) == [0xFF])  // raw byte, not UTF-8
        #expect(run(.urlDecode, "%u0041") == nil)
    }

    @Test func urlDecodeUni() {
        #expect(run(.urlDecodeUni, "%u0041%U00e9%u12") == "Aé%u12")
        #expect(run(.urlDecodeUni, "%2525%2541") == "%A")  // decodes until nothing is left
        #expect(run(.urlDecodeUni, "%2B") == " ")  // the decoded plus is decoded again
        #expect(run(.urlDecodeUni, "%uD800%uDC00") == "\u{FFFD}\u{FFFD}")  // no surrogate pairing
        #expect(run(.urlDecodeUni, [0x25, 0x75, 0x30, 0x30, 0x30, 0x30]) == [0])
    }

    @Test func urlParts() {
        #expect(run(.urlPath, "/path/file.php?x=1#frag") == "/path/file.php")
        #expect(run(.urlPath, "/no/query") == nil)
        #expect(run(.urlBasename, "/path/file.php?x=1#frag") == "file.php")
        #expect(run(.urlBasename, "noslash") == nil)
        #expect(run(.urlBasename, "noslash?q") == "noslash")
        #expect(run(.urlBasename, "/") == "")
        #expect(run(.urlQuerystring, "http://h/p/q.js?x=/y#z/") == "x=/y")
        #expect(run(.urlQuerystring, "a#b?c") == "")
        #expect(run(.urlQuerystring, "no query") == "")  // always a transformation in libddwaf
    }

    @Test func htmlEntityDecode() {
        #expect(run(.htmlEntityDecode, "&#x41;&#X42&#67;&#68") == "ABCD")
        #expect(run(.htmlEntityDecode, "&LT;&gt;&Amp;&quot;") == "<>&\"")
        #expect(run(.htmlEntityDecode, Array("&nbsp;".utf8)) == [0xA0])  // a Latin-1 byte, as libddwaf
        #expect(run(.htmlEntityDecode, "&lt") == nil)  // named references need their `;`
        #expect(run(.htmlEntityDecode, "&#x;&#;&&") == nil)
        #expect(run(.htmlEntityDecode, "&#x110000;") == "\u{FFFD}")
        #expect(run(.htmlEntityDecode, "&#99999999999;") == "\u{FFFD}")
        #expect(run(.htmlEntityDecode, "&#xD800;") == "\u{FFFD}")
        #expect(run(.htmlEntityDecode, "&#x1F600;") == "😀")
        // `&#0;` gives U+FFFD (3 bytes) but the result is as long as the input, which libddwaf takes as unchanged.
        #expect(run(.htmlEntityDecode, "&#0") == nil)
        #expect(run(.htmlEntityDecode, "&#0;") == "\u{FFFD}")
        #expect(run(.htmlEntityDecode, [0x26, 0x6C, 0x74, 0x1B]) == [0x3C])  // ESC | 0x20 == `;` in libddwaf's compare
    }

    @Test func jsDecode() {
        #expect(run(.jsDecode, #"\x41\x4"#) == "A4")  // invalid \x vanishes, the digit stays
        #expect(run(.jsDecode, #"\u0041\u00e9\uD83D\uDE00"#) == "Aé😀")
        #expect(run(.jsDecode, #"\uD83D"#) == "\u{FFFD}")
        #expect(run(.jsDecode, #"\uD83D\u0041"#) == "A")  // unpaired high surrogate before another escape drops
        #expect(run(.jsDecode, #"\uDE00"#.utf8.map { $0 }) == [0xED, 0xB8, 0x80])  // lone low surrogate encoded as is
        #expect(run(.jsDecode, #"\n\t\r\b\f\v\a\0\\\'\""#) == "\n\t\r\u{8}\u{C}\u{B}\u{7}0\\'\"")
        #expect(run(.jsDecode, #"a\"#) == nil)  // a trailing backslash stays: nothing changed
        #expect(run(.jsDecode, "no escapes") == nil)
    }

    @Test func cssDecode() {
        #expect(run(.cssDecode, "\\41 \\000041x\\110000 \\D800\\\n") == "AAx\u{FFFD}\u{FFFD}")
        #expect(run(.cssDecode, "\\41\t\\42\n\\43") == "ABC")  // one whitespace after an escape is swallowed
        #expect(run(.cssDecode, #"\0"#) == "")  // no room for U+FFFD
        #expect(run(.cssDecode, #"\g\"#) == "g")
    }

    @Test func base64() {
        #expect(run(.base64Decode, "SGVsbG8=") == "Hello")
        #expect(run(.base64Decode, "SGVsbG8") == "Hello")
        #expect(run(.base64Decode, "SGVsbA=") == "Hell")
        #expect(run(.base64Decode, "SGVsbA===") == nil)  // too much padding
        #expect(run(.base64Decode, "YWI==") == nil)
        #expect(run(.base64Decode, "a=") == nil)
        #expect(run(.base64Decode, "====") == "")
        #expect(run(.base64Decode, "SGV=sbA") == nil)  // padding must run to the end
        #expect(run(.base64Decode, "YWJj-_") == nil)
        #expect(run(.base64Decode, "not base64!") == nil)
        #expect(run(.base64Decode, "YQ") == "a")
        #expect(run(.base64Decode, Array("AAAA".utf8)) == [0, 0, 0])
        #expect(run(.base64URLDecode, Array("YWJj-_".utf8)) == [0x61, 0x62, 0x63, 0xFB, 0xF0])
        #expect(run(.base64URLDecode, "YWJj+/") == nil)
        #expect(run(.base64Encode, "Hello") == "SGVsbG8=")
        #expect(run(.base64Encode, "a") == "YQ==")
        #expect(run(.base64Encode, [0xFF, 0xFE]) == Array("--4=".utf8))  // libddwaf's table has `-` for 63
    }

    @Test func shellUnescape() {
        #expect(run(.shellUnescape, #"c\a"t' /e^t^c/p"a"s"s"w"d"#) == "cat/etc/passwd")
        #expect(run(.shellUnescape, "ls ;  id") == "ls id")
        #expect(run(.shellUnescape, "A B\tC\nD") == "a b c d")
        #expect(run(.shellUnescape, "a  (b)") == "a(b)")
        #expect(run(.shellUnescape, "x ;") == "x ")
        #expect(run(.shellUnescape, "a,") == nil)  // a trailing separator alone does not trigger a rewrite
        #expect(run(.shellUnescape, "ls -la") == nil)
    }

    @Test func removeComments() {
        #expect(run(.removeComments, "a /* c */ b") == "a  b")
        #expect(run(.removeComments, "a /* unterminated") == "a ")
        #expect(run(.removeComments, "<!-- x --> y") == " y")
        #expect(run(.removeComments, "select 1 -- rest") == "select 1 ")
        #expect(run(.removeComments, "a # b") == "a ")
        #expect(run(.removeComments, "a // b") == "a ")
        #expect(run(.removeComments, "/**/x/**/") == "x")
        #expect(run(.removeComments, "/*/") == "")
        #expect(run(.removeComments, "<!--->") == "")
        #expect(run(.removeComments, "a - b / c") == nil)
    }

    @Test func unicodeNormalize() {
        #expect(run(.unicodeNormalize, "é É ﬁ ß ẞ ı İ") == "e E fi ss SS i I")
        #expect(run(.unicodeNormalize, "ｓｃｒｉｐｔ ﹤x﹥ ‘’ – …") == "script <x> '' - ...")
        #expect(run(.unicodeNormalize, "plain ascii") == nil)
        #expect(run(.unicodeNormalize, "\u{200D}") == nil)  // ZWJ kept for emoji sequences
        #expect(run(.unicodeNormalize, "a\u{00AD}b\u{0301}") == "ab")  // default-ignorable and mark removed
        #expect(run(.unicodeNormalize, "\u{E0041}") == "A")  // tag characters fold to ASCII
        // Invalid UTF-8 alone does not trigger a rewrite; once rewriting, invalid bytes go, NUL becomes U+FFFD and
        // overlong ASCII becomes ASCII.
        #expect(run(.unicodeNormalize, [0xC0, 0xAE, 0xFF, 0x61]) == nil)
        #expect(run(.unicodeNormalize, [0xC0, 0xAE, 0xFF, 0x00, 0xC3, 0xA9]) == [0x2E, 0xEF, 0xBF, 0xBD, 0x65])
        #expect(run(.unicodeNormalize, [0xF4, 0x90, 0x80, 0x80]) == [])  // beyond U+10FFFF: dropped
    }

    @Test func chains() {
        #expect(Transformer.apply([.removeNulls, .urlDecodeUni, .lowercase], to: Array("%3CSCRIPT%00>".utf8))
            == Array("<script\u{0}>".utf8))
        #expect(Transformer.apply([.lowercase, .removeNulls], to: Array("abc".utf8)) == nil)
        #expect(Transformer.apply([], to: Array("abc".utf8)) == nil)
    }
}

/// Arbitrary bytes through every transformer and some chains: no trap (debug builds check every buffer access),
/// and "unchanged" is only ever reported as nil.
@Suite struct TransformerRobustnessTests {
    @Test func randomBytesNeverTrapAndNilMeansUnchanged() {
        var generator = SplitMix64(seed: 0xB17E5)
        let interesting = Array("%&#;xXuU\\/.?=+-_*<!>'\"^,() \t\n0aAfF9".utf8) + [0, 0x80, 0xC3, 0xA9, 0xE2, 0xF0, 0xFF]
        for round in 0..<20_000 {
            let length = Int(generator.next() % 48)
            let input: [UInt8] = (0..<length).map { _ in
                round % 3 == 0 ? UInt8(truncatingIfNeeded: generator.next())
                    : interesting[Int(generator.next() % UInt64(interesting.count))]
            }
            for transformer in Transformer.allCases {
                if let output = transformer.apply(to: input) {
                    #expect(output != input, "\(transformer) returned its input unchanged instead of nil")
                }
            }
            _ = Transformer.apply([.urlDecodeUni, .htmlEntityDecode, .jsDecode, .cssDecode, .unicodeNormalize], to: input)
        }
    }
}
