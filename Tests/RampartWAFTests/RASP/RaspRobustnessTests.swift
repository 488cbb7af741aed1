import Testing
@testable import RampartWAF

/// Malformed, random and very large inputs: every detector returns (never traps) and stays linear.
@Suite struct RaspRobustnessTests {
    /// Bytes biased towards the characters every tokenizer treats specially.
    static let alphabet: [UInt8] = Array("'\"\\`$(){}[]<>|&;#\n\t %./:@?=-_aZ09~^!*\u{0}".utf8) + [0xFF, 0xC3, 0xA9, 0xE2]

    static func randomString(_ generator: inout SplitMix64, length: Int) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<length {
            let r = generator.next()
            bytes.append(r & 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : alphabet[Int((r >> 8) % UInt64(alphabet.count))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func runAll(_ operation: String, _ parameters: [UserParameter]) {
        _ = ShellInjectionDetector.detect(commandLine: operation, parameters: parameters)
        _ = ShellInjectionDetector.detect(commandLine: operation, dialect: .cmd, parameters: parameters)
        _ = ShellInjectionDetector.detect(commandLine: operation, dialect: .powershell, parameters: parameters)
        _ = CommandInjectionDetector.detect(arguments: operation.split(separator: " ").map(String.init), parameters: parameters)
        _ = CommandInjectionDetector.detect(arguments: ["sh", "-c", operation], parameters: parameters)
        _ = PathTraversalDetector.detect(path: operation, parameters: parameters)
        _ = SSRFDetector.detect(url: operation, parameters: parameters, resolvedAddresses: [operation])
    }

    @Test func randomInputsNeverTrap() {
        var generator = SplitMix64(seed: 42)
        for round in 0..<3000 {
            let operation = Self.randomString(&generator, length: Int(generator.next() % 120))
            // Parameters cut from the operation itself, so that they are found and judged.
            let utf8 = Array(operation.utf8)
            var parameters = RaspTestSupport.query(Self.randomString(&generator, length: Int(generator.next() % 8)))
            if utf8.count > 2 {
                let start = Int(generator.next() % UInt64(utf8.count - 1))
                let end = min(utf8.count, start + 2 + Int(generator.next() % 30))
                parameters += RaspTestSupport.query(String(decoding: utf8[start..<end], as: UTF8.self))
            }
            Self.runAll(operation, parameters)
            #expect(round >= 0)
        }
    }

    @Test(arguments: [
        "", "'", "\"", "`", "$(", "${", "$((", "\\", "<<", "<<-", "<<EOF", "cat <<EOF\n", "((((((", "))))", "}}}}",
        "x'y", "x\"y", "x`y", "$(x", "`x", "${x", "echo $'\\", "a <<A <<B\nA\n", "[", "[::", "http://[", "http://@",
        "http://:@:/", "//", "\\\\", "file:", "x:", "%", "%2", "%zz", "..", "/..", "\u{0}", "\u{FFFD}",
    ])
    func truncatedSyntax(_ text: String) {
        Self.runAll(text, RaspTestSupport.query(text, text + text, "xy"))
        Self.runAll("ls " + text + " x", RaspTestSupport.query(text + " x", "ls " + text))
    }

    @Test func deepNestingIsBounded() throws {
        let depth = 10_000
        let nested = String(repeating: "$(", count: depth) + "id" + String(repeating: ")", count: depth)
        let finding = try #require(ShellInjectionDetector.detect(commandLine: "echo " + nested, parameters: RaspTestSupport.query(nested)))
        #expect(finding.detector == "shi_detector")
        let backticks = String(repeating: "`", count: 5000)
        Self.runAll(backticks, RaspTestSupport.query(backticks))
        let parens = String(repeating: "(", count: 5000)
        Self.runAll(parens, RaspTestSupport.query(parens))
    }

    @Test func oneMegabyteInputs() throws {
        let megabyte = 1 << 20
        let filler = String(repeating: "a", count: megabyte)
        // Pathological overlap: a long parameter of the same byte, near-matching everywhere.
        let longParameter = String(repeating: "a", count: 4096) + "; id"
        let shellFinding = ShellInjectionDetector.detect(commandLine: "echo " + filler + "; id", parameters: RaspTestSupport.query(longParameter, "aa"))
        #expect(shellFinding?.parameter.value == longParameter)
        let quoted = "echo '" + filler + "'"
        #expect(ShellInjectionDetector.detect(commandLine: quoted, parameters: RaspTestSupport.query("aa", "a a", filler)) == nil)
        #expect(CommandInjectionDetector.detect(arguments: ["sh", "-c", "echo " + filler], parameters: RaspTestSupport.query("aaa")) == nil)
        let path = "/var/www/uploads/" + String(repeating: "a/", count: megabyte / 2)
        #expect(PathTraversalDetector.detect(path: path, parameters: RaspTestSupport.query("a/a", "a/")) == nil)
        let climbing = "/var/www/uploads/" + String(repeating: "../", count: megabyte / 3)
        #expect(PathTraversalDetector.detect(path: climbing, parameters: RaspTestSupport.query(String(repeating: "../", count: megabyte / 3))) != nil)
        let url = "https://example.com/" + filler
        #expect(SSRFDetector.detect(url: url, parameters: RaspTestSupport.query("aa", filler)) == nil)
        let hugeHost = "http://" + filler + ".example.com/"
        #expect(SSRFDetector.detect(url: hugeHost, parameters: RaspTestSupport.query(filler)) == nil)
    }
}
