// Measures RampartRegex on the WAF workload of /work/shared/tools/re2bench (same inputs, same counting), so the
// figures can be put next to re2bench's RE2 and RE2::Set lines. Prints; asserts nothing.
//
//   python3 ../shared/tools/re2bench/prepare.py ../shared/corpus/requests-dev.jsonl /tmp/re2bench
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

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: RegexMeasure PATTERNS.tsv VALUES.txt")
    exit(2)
}
let clock = ContinuousClock()
let patternLines = readLines(arguments[1])
let patterns: [RegexSet.Pattern] = patternLines.compactMap { line in
    guard let tab = line.firstIndex(of: "\t") else { return nil }
    let caseInsensitive = line[..<tab] == "1"
    return RegexSet.Pattern(String(line[line.index(after: tab)...]), options: caseInsensitive ? .caseInsensitive : [])
}

var parsed = 0
let parseOnly = clock.measure {
    for pattern in patterns where (try? RegexParser.parse(pattern.pattern, options: pattern.options)) != nil { parsed += 1 }
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
if CommandLine.arguments.count > 3 {
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

let values = readLines(arguments[2]).map(unescape)
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

if ProcessInfo.processInfo.environment["SKIP_LARGE"] != nil { exit(0) }

// Throughput on one large benign text: every value concatenated, capped at 1 MB.
var benign: [UInt8] = []
for value in values where benign.count < 1 << 20 { benign += value; benign.append(0x0A) }
var largeMatches = 0
let largeTime = clock.measure {
    benign.withUnsafeBytes { buffer in
        for set in sets { largeMatches += set.matchingIndices(in: buffer).count }
    }
}
print(String(format: "RegexSet over one %d-byte text: %.1f ms (%.0f MB/s, %d patterns matched)", benign.count,
             milliseconds(largeTime), Double(benign.count) / 1e3 / max(milliseconds(largeTime), 0.001),
             largeMatches))
