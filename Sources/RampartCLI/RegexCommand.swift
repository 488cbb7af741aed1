import ArgumentParser
import Foundation
import RampartRegex

/// `rampart regex ...`: drive the regex engine from other tools (reference comparisons, benchmarks).
struct RegexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regex",
        abstract: "Run RampartRegex on patterns and inputs (RE2 syntax and semantics).",
        subcommands: [Batch.self, Scan.self, Bench.self]
    )
}

extension RegexCommand {
    /// Reads JSON Lines cases on stdin and answers one JSON line per case, in order.
    struct Batch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Match JSON Lines cases from stdin; print one result line per case.",
            discussion: """
                Input, one object per line: {"pattern": "...", "input": "...", "case_insensitive": false}
                ("input_hex" may replace "input" for inputs that are not valid UTF-8; "case_insensitive" is
                optional). Output, one line per case: {"matched": true, "start": 3, "end": 9} with UTF-8 byte
                offsets of the leftmost-first match, {"matched": false}, or {"error": "..."} when the pattern
                (or the line) is invalid.
                """
        )

        struct Case: Decodable {
            var pattern: String
            var input: String?
            var input_hex: String?
            var case_insensitive: Bool?
        }

        /// Keyed by the pattern's bytes: `String` equality is canonical equivalence, under which U+212A KELVIN
        /// SIGN equals `K`, but RE2 patterns are compared scalar by scalar.
        struct CacheKey: Hashable {
            var pattern: [UInt8]
            var caseInsensitive: Bool
        }

        func run() throws {
            let decoder = JSONDecoder()
            var compiled: [CacheKey: Result<SafeRegex, RegexError>] = [:]
            var output = ""
            output.reserveCapacity(1 << 16)
            while let line = readLine(strippingNewline: true) {
                if line.isEmpty { continue }
                output += Self.answer(line: line, decoder: decoder, cache: &compiled)
                output += "\n"
                if output.utf8.count >= 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }

        static func answer(line: String, decoder: JSONDecoder,
                           cache: inout [CacheKey: Result<SafeRegex, RegexError>]) -> String {
            let testCase: Case
            do {
                testCase = try decoder.decode(Case.self, from: Data(line.utf8))
            } catch {
                return errorLine("invalid case line: \(error)")
            }
            let key = CacheKey(pattern: Array(testCase.pattern.utf8), caseInsensitive: testCase.case_insensitive ?? false)
            let regex: Result<SafeRegex, RegexError>
            if let cached = cache[key] {
                regex = cached
            } else {
                regex = Result { () throws(RegexError) -> SafeRegex in
                    try SafeRegex(testCase.pattern, options: key.caseInsensitive ? .caseInsensitive : [])
                }
                // Bound the cache: generated workloads use a few inputs per pattern.
                if cache.count > 10_000 { cache.removeAll(keepingCapacity: true) }
                cache[key] = regex
            }
            switch regex {
            case .failure(let error):
                return errorLine(error.description)
            case .success(let regex):
                let span: Range<Int>?
                if let hex = testCase.input_hex {
                    guard let bytes = decodeHex(hex) else { return errorLine("input_hex is not hexadecimal") }
                    span = regex.firstMatch(in: bytes)
                } else {
                    span = regex.firstMatch(in: testCase.input ?? "")
                }
                guard let span else { return #"{"matched": false}"# }
                return #"{"matched": true, "start": \#(span.lowerBound), "end": \#(span.upperBound)}"#
            }
        }

        static func errorLine(_ message: String) -> String {
            let data = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error": "?"}"#.utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// Bytes from a hexadecimal string, nil when it is not one.
func decodeHex(_ hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index + 1 < digits.count {
        guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
        bytes.append(high << 4 | low)
        index += 2
    }
    return bytes
}

extension RegexCommand {
    /// Times cases listed in a file, for scripts/bench-regex.sh to compare with RE2 in the same run.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time regex cases (TSV: name, case_insensitive 0/1, pattern, input file) or a ruleset set.",
            discussion: """
                Cases mode prints `name<TAB>nanoseconds per search<TAB>span` per case: the best of repeated
                `matches` calls over the whole input file, and the leftmost-first span (or -1). With --set, the
                file lists `case_insensitive<TAB>pattern` lines (the format of ../shared/tools/re2bench) and
                --values a file of one value per line (\\n and \\\\ escaped): it prints compile time and one
                pass over all values, rule by rule and with a RegexSet.
                """
        )

        @Argument(help: "Cases TSV file (or patterns TSV with --set).")
        var file: String

        @Flag(help: "Compare one-regex-per-rule with one RegexSet over --values.")
        var set = false

        @Option(help: "Values file for --set (one value per line).")
        var values: String?

        @Option(help: "Minimum measuring time per case, in milliseconds.")
        var minMilliseconds = 200

        func run() throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            if set {
                guard let values else { throw ValidationError("--set needs --values FILE") }
                try runSet(patternsText: text, valuesPath: values)
                return
            }
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4 else { throw ValidationError("bad case line: \(line)") }
                let input = try Data(contentsOf: URL(fileURLWithPath: String(fields[3])))
                let regex = try SafeRegex(String(fields[2]), options: fields[1] == "1" ? .caseInsensitive : [])
                let bytes = [UInt8](input)
                let nanoseconds = bytes.withUnsafeBytes { buffer in
                    Self.bestTime(minMilliseconds: minMilliseconds) { regex.matches(buffer) }
                }
                let span = regex.firstMatch(in: bytes).map { "\($0.lowerBound),\($0.upperBound)" } ?? "-1"
                print("\(fields[0])\t\(nanoseconds)\t\(span)")
            }
        }

        /// Best wall time of `body` in nanoseconds over repeated runs lasting at least `minMilliseconds`.
        static func bestTime(minMilliseconds: Int, _ body: () -> Bool) -> Int64 {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .milliseconds(minMilliseconds))
            var best = Duration.seconds(1_000_000)
            var runs = 0
            var sink = false
            while runs < 3 || clock.now < deadline {
                let start = clock.now
                sink = body() != sink
                best = min(best, clock.now - start)
                runs += 1
            }
            if sink && runs < 0 { print("") }  // keeps the result observable
            let (seconds, attoseconds) = best.components
            return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }

        func runSet(patternsText: String, valuesPath: String) throws {
            var patterns: [RegexSet.Pattern] = []
            for line in patternsText.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                patterns.append(RegexSet.Pattern(String(line[line.index(after: tab)...]),
                                                 options: line[..<tab] == "1" ? .caseInsensitive : []))
            }
            let values = try String(contentsOfFile: valuesPath, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { Self.unescape($0) }
            let clock = ContinuousClock()
            let compileStart = clock.now
            var regexes: [SafeRegex] = []
            for pattern in patterns { regexes.append(try SafeRegex(pattern.pattern, options: pattern.options)) }
            let regexTime = clock.now - compileStart
            let setStart = clock.now
            let regexSet = try RegexSet(patterns)
            let setTime = clock.now - setStart
            let bytes = values.reduce(0) { $0 + $1.count }
            var perRuleMatches = 0
            var best = Duration.seconds(1_000_000)
            for _ in 0..<3 {
                let start = clock.now
                perRuleMatches = 0
                for value in values { for regex in regexes where regex.matches(value) { perRuleMatches += 1 } }
                best = min(best, clock.now - start)
            }
            var setMatches = 0
            var bestSet = Duration.seconds(1_000_000)
            for _ in 0..<3 {
                let start = clock.now
                setMatches = 0
                for value in values { setMatches += regexSet.matchingIndices(in: value).count }
                bestSet = min(bestSet, clock.now - start)
            }
            print("patterns=\(patterns.count) values=\(values.count) bytes=\(bytes) "
                  + "compile_ms=\(Self.milliseconds(regexTime)) set_compile_ms=\(Self.milliseconds(setTime))")
            print("per-rule RampartRegex: \(Self.milliseconds(best)) ms per corpus pass (\(perRuleMatches) pattern matches)")
            print("RegexSet:              \(Self.milliseconds(bestSet)) ms per corpus pass (\(setMatches) pattern matches)")
        }

        static func milliseconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            return String(format: "%.1f", value)
        }

        /// Undoes the escaping of re2bench's values file (`\n` for newline, `\x` for `x`).
        static func unescape(_ line: Substring) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(line.utf8.count)
            var escaped = false
            for byte in line.utf8 {
                if escaped {
                    bytes.append(byte == UInt8(ascii: "n") ? 0x0A : byte)
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else {
                    bytes.append(byte)
                }
            }
            return bytes
        }
    }
}

extension RegexCommand {
    /// Every pattern of a list over every value of a list: the bulk comparison behind scripts/ddtrace_regexes.py.
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search every value with every pattern; print the matches.",
            discussion: """
                PATTERNS: one `case_insensitive<TAB>pattern` line per pattern (case_insensitive is 0 or 1).
                VALUES: one value per line, newline written as \\n and backslash as \\\\.
                Prints `pattern index<TAB>value index<TAB>start<TAB>end` per match (UTF-8 byte offsets, values
                and patterns numbered from 0), or `pattern index<TAB>error<TAB>message` for a rejected pattern.
                """
        )

        @Argument(help: "Patterns file.")
        var patterns: String

        @Argument(help: "Values file.")
        var values: String

        func run() throws {
            let patternLines = try String(contentsOfFile: patterns, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: true)
            let values = try String(contentsOfFile: values, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { Bench.unescape($0) }
            var output = ""
            for (patternIndex, line) in patternLines.enumerated() {
                guard let tab = line.firstIndex(of: "\t") else { throw ValidationError("bad pattern line: \(line)") }
                let pattern = String(line[line.index(after: tab)...])
                let regex: SafeRegex
                do {
                    regex = try SafeRegex(pattern, options: line[..<tab] == "1" ? .caseInsensitive : [])
                } catch {
                    output += "\(patternIndex)\terror\t\(error.description)\n"
                    continue
                }
                for (valueIndex, value) in values.enumerated() {
                    guard let span = regex.firstMatch(in: value) else { continue }
                    output += "\(patternIndex)\t\(valueIndex)\t\(span.lowerBound)\t\(span.upperBound)\n"
                }
                if output.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
    }
}
