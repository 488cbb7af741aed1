// Measures RampartRegex (release build) so figures can be put next to RE2's from the same run. Prints; asserts
// nothing. Three modes:
//
//   RegexMeasure compile PATTERNS.tsv [REPEATS]   compile time of a whole ruleset (best of REPEATS runs)
//   RegexMeasure cases CASES.tsv [MIN_MS]         scripts/bench-regex.sh's cases, in `rampart regex bench`'s format
//   RegexMeasure PATTERNS.tsv VALUES.txt [top]    the WAF workload of /work/shared/tools/re2bench
//
//   python3 ../shared/tools/re2bench/prepare.py ../shared/corpus/requests-dev.jsonl /tmp/re2bench
//   swift run -c release RegexMeasure compile /tmp/re2bench/patterns.tsv
//   swift run -c release RegexMeasure /tmp/re2bench/patterns.tsv /tmp/re2bench/values.txt
import Foundation
import RampartRegex

func readLines(_ path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("cannot read \(path)")
        exit(2)
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).filter { !$0.isEmpty }
}

/// One value per line, empty values included (RE2's side counts their matches too); no final empty line.
func readValues(_ path: String) -> [[UInt8]] {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("cannot read \(path)")
        exit(2)
    }
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map { unescape(String($0)) }
}

/// Values are stored one per line with `\n` and `\\` escaped (re2bench's format).
func unescape(_ line: String) -> [UInt8] {
    var output: [UInt8] = []
    var bytes = Array(line.utf8)[...]
    while let byte = bytes.popFirst() {
        if byte == 0x5C, let next = bytes.popFirst() {
            output.append(next == 0x6E ? 0x0A : next)
        } else {
            output.append(byte)
        }
    }
    return output
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
}

/// `case_insensitive<TAB>pattern` lines (re2bench's patterns.tsv).
func readPatterns(_ path: String) -> [RegexSet.Pattern] {
    readLines(path).compactMap { line in
        guard let tab = line.firstIndex(of: "\t") else { return nil }
        let caseInsensitive = line[..<tab] == "1"
        return RegexSet.Pattern(String(line[line.index(after: tab)...]),
                                options: caseInsensitive ? .caseInsensitive : [])
    }
}

let clock = ContinuousClock()
let arguments = CommandLine.arguments

// MARK: - compile

/// What a WAF builds from a ruleset: every regex on its own, then one set per case-sensitivity (as re2bench and
/// RampartWAF's match_regex operator do), from the patterns' text.
func compileRuleset(_ patterns: [RegexSet.Pattern]) -> (singles: Duration, sets: Duration, failures: [String]) {
    var failures: [String] = []
    var regexes: [SafeRegex] = []
    let singles = clock.measure {
        for pattern in patterns {
            do { regexes.append(try SafeRegex(pattern.pattern, options: pattern.options)) } catch {
                failures.append("\(error)")
            }
        }
    }
    var built: [RegexSet] = []
    let sets = clock.measure {
        for caseInsensitive in [true, false] {
            let group = patterns.filter { $0.options.contains(.caseInsensitive) == caseInsensitive }
            do { built.append(try RegexSet(group)) } catch { failures.append("set: \(error)") }
        }
    }
    withExtendedLifetime((regexes, built)) {}
    return (singles, sets, failures)
}

/// CPU time this thread has used: unlike wall time, it does not grow while other processes hold the cores.
func threadCPUTime() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
}

func runCompile(patternsPath: String, repeats: Int) {
    let patterns = readPatterns(patternsPath)
    var best: (total: Duration, singles: Duration, sets: Duration, parse: Duration)? = nil
    var failures: [String] = []
    // The first run also pays for building the engine's shared tables (case folding, Perl classes) once.
    let first = compileRuleset(patterns)
    print(String(format: "first run in this process (one-time tables included): %.1f ms",
                 milliseconds(first.singles + first.sets)))
    var bestCPU: Duration? = nil
    for _ in 0..<max(repeats, 1) {
        let parse = clock.measure {
            for pattern in patterns { _ = try? RegexParser.parse(pattern.pattern, options: pattern.options) }
        }
        let cpuStart = threadCPUTime()
        let run = compileRuleset(patterns)
        let cpu = threadCPUTime() - cpuStart
        if bestCPU.map({ cpu < $0 }) ?? true { bestCPU = cpu }
        failures = run.failures
        let total = run.singles + run.sets
        if best.map({ total < $0.total }) ?? true { best = (total, run.singles, run.sets, parse) }
    }
    guard let best else { return }
    print(String(format: "compile %d ruleset regexes, each alone then as 2 RegexSets: %.1f ms "
                 + "(singles %.1f ms, sets %.1f ms; parsing alone %.1f ms; best of %d)",
                 patterns.count, milliseconds(best.total), milliseconds(best.singles), milliseconds(best.sets),
                 milliseconds(best.parse), max(repeats, 1)))
    print(String(format: "same, thread CPU time: %.1f ms (best of %d)", milliseconds(bestCPU ?? .zero),
                 max(repeats, 1)))
    print("failures=\(failures.count)")
    for failure in failures.prefix(5) { print("  \(failure)") }
}

// MARK: - cases

/// Best wall time of `body` in nanoseconds over repeated runs lasting at least `minMilliseconds`.
func bestTime(minMilliseconds: Int, _ body: () -> Bool) -> Int64 {
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

/// `name<TAB>case_insensitive<TAB>pattern<TAB>input file` lines; prints `name<TAB>ns per search<TAB>span`.
func runCases(casesPath: String, minMilliseconds: Int) {
    for line in readLines(casesPath) {
        let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4, let input = FileManager.default.contents(atPath: String(fields[3])) else {
            print("bad case line: \(line)")
            exit(2)
        }
        let regex: SafeRegex
        do { regex = try SafeRegex(String(fields[2]), options: fields[1] == "1" ? .caseInsensitive : []) } catch {
            print("\(fields[0]): \(error)")
            exit(2)
        }
        let bytes = [UInt8](input)
        let nanoseconds = bytes.withUnsafeBytes { buffer in
            bestTime(minMilliseconds: minMilliseconds) { regex.matches(buffer) }
        }
        let span = regex.firstMatch(in: bytes).map { "\($0.lowerBound),\($0.upperBound)" } ?? "-1"
        print("\(fields[0])\t\(nanoseconds)\t\(span)")
    }
}

// MARK: - corpus workload

func runWorkload(patternsPath: String, valuesPath: String, showSlowest: Bool) {
    let patterns = readPatterns(patternsPath)
    var parsed = 0
    let parseOnly = clock.measure {
        for pattern in patterns where (try? RegexParser.parse(pattern.pattern, options: pattern.options)) != nil {
            parsed += 1
        }
    }
    print(String(format: "parse only: %.1f ms (%d parsed)", milliseconds(parseOnly), parsed))

    // Compile: each pattern alone, then the two sets re2bench builds (case-insensitive and case-sensitive).
    var regexes: [SafeRegex] = []
    var failures: [String] = []
    let compileSingles = clock.measure {
        for pattern in patterns {
            do { regexes.append(try SafeRegex(pattern.pattern, options: pattern.options)) } catch {
                failures.append("\(error)")
            }
        }
    }
    var sets: [RegexSet] = []
    let compileSets = clock.measure {
        for caseInsensitive in [true, false] {
            let group = patterns.filter { $0.options.contains(.caseInsensitive) == caseInsensitive }
            do { sets.append(try RegexSet(group)) } catch { failures.append("set: \(error)") }
        }
    }
    var setsFromRegexes: [RegexSet] = []
    let compileSetsFromRegexes = clock.measure {
        for caseInsensitive in [true, false] {
            let group = regexes.filter { $0.options.contains(.caseInsensitive) == caseInsensitive }
            if let set = try? RegexSet(group) { setsFromRegexes.append(set) }
        }
    }
    print(String(format: "sets from compiled regexes (no second parse): %.1f ms", milliseconds(compileSetsFromRegexes)))
    if showSlowest {
        var timings: [(Double, Double, String)] = []
        for pattern in patterns {
            let parse = clock.measure { _ = try? RegexParser.parse(pattern.pattern, options: pattern.options) }
            let total = clock.measure { _ = try? SafeRegex(pattern.pattern, options: pattern.options) }
            timings.append((milliseconds(total), milliseconds(parse), String(pattern.pattern.prefix(60))))
        }
        for (total, parse, text) in timings.sorted(by: { $0.0 > $1.0 }).prefix(8) {
            print(String(format: "  %.2f ms (parse %.2f) %@", total, parse, text))
        }
    }
    print("patterns=\(patterns.count) compiled=\(regexes.count) failures=\(failures.count)")
    for failure in failures.prefix(5) { print("  \(failure)") }
    print(String(format: "compile: singles %.1f ms, sets %.1f ms, total %.1f ms", milliseconds(compileSingles),
                 milliseconds(compileSets), milliseconds(compileSingles + compileSets)))

    let values = readValues(valuesPath)
    let totalBytes = values.reduce(0) { $0 + $1.count }
    print("values=\(values.count) bytes=\(totalBytes)")

    let repetitions = 3
    var ruleMatches = 0
    let skipRules = ProcessInfo.processInfo.environment["SKIP_RULES"] != nil
    let ruleTime = clock.measure {
        for _ in 0..<(skipRules ? 0 : repetitions) {
            ruleMatches = 0
            for value in values {
                value.withUnsafeBytes { buffer in
                    for regex in regexes where regex.matches(buffer) { ruleMatches += 1 }
                }
            }
        }
    }
    print(String(format: "rule by rule: %.1f ms per corpus pass (%d pattern matches)",
                 milliseconds(ruleTime) / Double(repetitions), ruleMatches))

    var setMatches = 0
    var setPasses: [Double] = []
    let setTime = clock.measure {
        for _ in 0..<repetitions {
            setMatches = 0
            let pass = clock.measure {
                for value in values {
                    value.withUnsafeBytes { buffer in
                        for set in sets { setMatches += set.matchingIndices(in: buffer).count }
                    }
                }
            }
            setPasses.append(milliseconds(pass))
        }
    }
    print("RegexSet passes (ms): " + setPasses.map { String(format: "%.1f", $0) }.joined(separator: ", "))
    print(String(format: "RegexSet:     %.1f ms per corpus pass (%d pattern matches)",
                 milliseconds(setTime) / Double(repetitions), setMatches))

    if ProcessInfo.processInfo.environment["SKIP_LARGE"] != nil { return }

    // Throughput on one large benign text: every value concatenated, capped at 1 MB.
    var benign: [UInt8] = []
    for value in values where benign.count < 1 << 20 {
        benign += value
        benign.append(0x0A)
    }
    var largeMatches = 0
    let largeTime = clock.measure {
        benign.withUnsafeBytes { buffer in
            for set in sets { largeMatches += set.matchingIndices(in: buffer).count }
        }
    }
    print(String(format: "RegexSet over one %d-byte text: %.1f ms (%.0f MB/s, %d patterns matched)", benign.count,
                 milliseconds(largeTime), Double(benign.count) / 1e3 / max(milliseconds(largeTime), 0.001),
                 largeMatches))
}

// MARK: - main

switch arguments.count >= 3 ? arguments[1] : "" {
case "compile":
    runCompile(patternsPath: arguments[2], repeats: arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5)
case "cases":
    runCases(casesPath: arguments[2], minMilliseconds: arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200)
default:
    guard arguments.count >= 3 else {
        print("usage: RegexMeasure compile PATTERNS.tsv [REPEATS] | cases CASES.tsv [MIN_MS] | PATTERNS.tsv VALUES.txt [top]")
        exit(2)
    }
    runWorkload(patternsPath: arguments[1], valuesPath: arguments[2], showSlowest: arguments.count > 3)
}
