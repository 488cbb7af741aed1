import ArgumentParser
import Foundation
import RampartWAF

/// `rampart waf …`: evaluate, benchmark and validate libddwaf-format rulesets with Rampart's WAF.
struct WafCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waf",
        abstract: "Run Rampart's in-app WAF on a request corpus, benchmark it, or validate a ruleset.",
        subcommands: [Eval.self, Bench.self, Validate.self, Conformance.self]
    )

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print {id, rules, actions, us, timeout} per request (the contract of ddwaf_oracle.py).")

        @Option(help: "Ruleset JSON (libddwaf format).") var rules: String
        @Option(help: "Request corpus (JSON Lines, see corpus/CORPUS.md).") var requests: String
        @Option(help: "Time budget per request in milliseconds.") var budgetMs: Double = 1000
        @Flag(help: "Also print the full events and action parameters.") var events = false
        @Option(name: .customLong("repeat"), help: "Run the corpus N times; report the last run (as the oracle's --repeat).") var repeatCount: Int = 1
        @Flag(help: "Turn off the clean-value cache (repeated benign strings are then scanned every time).")
        var noValueCache = false

        func run() throws {
            let waf = try WafCommand.loadWAF(rules, valueCache: !noValueCache)
            let corpus = try CorpusRequest.load(requests)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var output = Data()
            var times: [Double] = []
            var matched = 0
            for _ in 1..<max(1, repeatCount) {
                for request in corpus { _ = waf.makeContext().run(request.addresses, budget: .seconds(1)) }
            }
            for request in corpus {
                let context = waf.makeContext()
                let result = context.run(request.addresses, budget: .microseconds(Int64(budgetMs * 1000)))
                let micros = WafCommand.micros(result.duration)
                times.append(micros)
                let ids = Set(result.events.map(\.rule.id)).sorted()
                if !ids.isEmpty { matched += 1 }
                let line = EvalLine(
                    id: request.id, rules: ids, actions: Set(result.actions.map(\.typeName)).sorted(),
                    us: (micros * 100).rounded() / 100, timeout: result.timedOut,
                    events: events ? result.events : nil)
                output.append(try encoder.encode(line))
                output.append(0x0A)
            }
            FileHandle.standardOutput.write(output)
            WafCommand.printSummary(times: times, matched: matched)
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the corpus N times; print median, p99 and total engine time (µs) of the last run.")

        @Option(help: "Ruleset JSON (libddwaf format).") var rules: String
        @Option(help: "Request corpus (JSON Lines).") var requests: String
        @Option(name: .short, help: "Number of passes over the corpus.") var n: Int = 5
        @Flag(help: "Turn off the clean-value cache (repeated benign strings are then scanned every time).")
        var noValueCache = false

        func run() throws {
            let rssBefore = WafCommand.residentKilobytes()
            let loadStart = ContinuousClock.now
            let waf = try WafCommand.loadWAF(rules, valueCache: !noValueCache)
            let loadTime = ContinuousClock.now - loadStart
            let rssAfter = WafCommand.residentKilobytes()
            let corpus = try CorpusRequest.load(requests)
            var times: [Double] = []
            for _ in 0..<max(1, n) {
                times.removeAll(keepingCapacity: true)
                for request in corpus {
                    let result = waf.makeContext().run(request.addresses, budget: .seconds(1))
                    times.append(WafCommand.micros(result.duration))
                }
            }
            let sorted = times.sorted()
            print(
                "requests=\(sorted.count) passes=\(max(1, n)) load_ms=\(String(format: "%.1f", WafCommand.micros(loadTime) / 1000)) "
                    + "median_us=\(String(format: "%.1f", WafCommand.median(sorted))) "
                    + "p99_us=\(String(format: "%.1f", WafCommand.p99(sorted))) "
                    + "total_us=\(String(format: "%.0f", sorted.reduce(0, +))) "
                    + "load_rss_kb=\(rssBefore.flatMap { before in rssAfter.map { String($0 - before) } } ?? "n/a") "
                    + "rules=\(waf.ruleIDs.count)")
            withExtendedLifetime(waf) {}
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a ruleset and print its diagnostics as JSON; exit 1 if anything failed to load.")

        @Argument(help: "Ruleset JSON (libddwaf format).") var file: String

        func run() throws {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            do {
                let waf = try WAF(rulesetJSON: bytes)
                FileHandle.standardOutput.write(try encoder.encode(waf.diagnostics))
                print()
                if waf.diagnostics.hasErrors { throw ExitCode(1) }
            } catch let error as WAFLoadError {
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                FileHandle.standardOutput.write(try encoder.encode(error.diagnostics))
                print()
                throw ExitCode(1)
            }
        }
    }

    struct EvalLine: Encodable {
        var id: String
        var rules: [String]
        var actions: [String]
        var us: Double
        var timeout: Bool
        var events: [WAFEvent]?
    }

    static func loadWAF(_ path: String, valueCache: Bool = true) throws -> WAF {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let waf = try WAF(
            rulesetJSON: bytes,
            configuration: WAFConfiguration(cleanValueCacheCapacity: valueCache ? WAFConfiguration().cleanValueCacheCapacity : 0))
        let diagnostics = waf.diagnostics
        FileHandle.standardError.write(
            Data(
                ("rules: \(path) loaded=\(diagnostics.loadedRuleIDs.count) failed=\(diagnostics.failedRuleIDs.count) "
                    + "skipped=\(diagnostics.skippedRuleIDs.count) version=\(waf.rulesetVersion ?? "-")\n").utf8))
        return waf
    }

    /// Resident set size from /proc (Linux); nil elsewhere.
    static func residentKilobytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(getpagesize()) / 1024
    }

    static func micros(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The oracle's p99: the value at position ⌊0.99·n⌋ − 1 of the sorted times.
    static func p99(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[max(0, min(sorted.count - 1, Int(Double(sorted.count) * 0.99) - 1))]
    }

    static func printSummary(times: [Double], matched: Int) {
        let sorted = times.sorted()
        let line =
            "requests=\(sorted.count) matched=\(matched) total_us=\(String(format: "%.0f", sorted.reduce(0, +))) "
            + "median_us=\(String(format: "%.1f", median(sorted))) p99_us=\(String(format: "%.1f", p99(sorted))) "
            + "max_us=\(String(format: "%.1f", sorted.last ?? 0))\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

extension CorpusRequest {
    /// Every request of a JSON Lines corpus file.
    static func load(_ path: String) throws -> [CorpusRequest] {
        try CorpusRequest.parse(jsonLines: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
