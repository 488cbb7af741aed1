import ArgumentParser
import Foundation
import RampartWAF

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rampart rasp ...`: the RASP exploit detectors run on recorded operations.
struct RaspCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rasp",
        abstract: "Run the RASP exploit detectors (sqli, shi, cmdi, lfi, ssrf) on recorded operations.",
        subcommands: [Eval.self, Bench.self]
    )

    /// `rampart rasp eval --cases FILE`: one verdict per case (JSON lines on stdout), a score and per-call timings
    /// per operation type on stderr.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate the detectors on a RASP case file (format: shared/corpus/RASP.md).")

        @Option(name: .long, help: "JSON-lines file of RASP cases.")
        var cases: String

        @Option(name: .long, help: "Timed calls per case for the µs figures (0 disables timing).")
        var iterations: Int = 200

        @Flag(name: .long, help: "Print only the summary.")
        var quiet = false

        func run() throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: cases))
            let lines = data.split(separator: UInt8(ascii: "\n"))
            var scores: [String: TypeScore] = [:]
            var order: [String] = []
            for (lineNumber, line) in lines.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                let raspCase: RaspCase
                do {
                    raspCase = try RaspCase(json: Data(line))
                } catch {
                    throw ValidationError("\(cases):\(lineNumber + 1): \(error)")
                }
                let verdict = raspCase.evaluate()
                if scores[raspCase.type] == nil {
                    scores[raspCase.type] = TypeScore()
                    order.append(raspCase.type)
                }
                var score = scores[raspCase.type] ?? TypeScore()
                let attack = raspCase.label == "attack"
                switch verdict {
                case .skipped(let why):
                    score.skipped += 1
                    if !quiet { print(jsonLine(["id": raspCase.id, "type": raspCase.type, "label": raspCase.label, "skipped": why])) }
                case .evaluated(let finding):
                    let detected = finding != nil
                    if attack { score.attacks += 1; if detected { score.caught += 1 } else { score.missed.append(raspCase.id) } }
                    else { score.benign += 1; if detected { score.falsePositives.append(raspCase.id) } }
                    if iterations > 0 { score.samples.append(contentsOf: raspCase.time(iterations: iterations)) }
                    if !quiet {
                        var object: [String: Any] = [
                            "id": raspCase.id, "type": raspCase.type, "label": raspCase.label, "detected": detected,
                        ]
                        if let finding {
                            object["detector"] = finding.detector
                            object["reason"] = finding.reason
                            object["parameter"] = finding.parameter.address + "." + finding.parameter.keyPath.map(\.description).joined(separator: ".")
                        }
                        print(jsonLine(object))
                    }
                }
                scores[raspCase.type] = score
            }
            var total = TypeScore()
            for type in order {
                guard let score = scores[type] else { continue }
                total.attacks += score.attacks
                total.caught += score.caught
                total.benign += score.benign
                total.falsePositives += score.falsePositives
                total.skipped += score.skipped
                FileHandle.standardError.write(Data((score.summary(type) + "\n").utf8))
            }
            FileHandle.standardError.write(Data(("total: detected \(total.caught)/\(total.attacks) attacks, false positives \(total.falsePositives.count)/\(total.benign) benign" + (total.skipped > 0 ? ", \(total.skipped) skipped" : "") + "\n").utf8))
        }

        func jsonLine(_ object: [String: Any]) -> String {
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
                return "{}"
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

extension RaspCommand {
    /// `rampart rasp bench`: per-call cost of each detector on a ~1 KB operation with 20 request parameters (five
    /// of which occur in the operation, confined to their place), next to a baseline measured in the same run:
    /// the 20 substring searches any such detector has to do, with the standard library.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the RASP detectors on 1 KB operations with 20 parameters, against a substring-search baseline.")

        @Option(name: .long, help: "Timed calls per detector.")
        var iterations: Int = 20_000

        @Option(name: .long, help: "Run only the workloads whose name contains this text.")
        var only: String?

        @Flag(name: .long, inversion: .prefixedNo, help: "Also time the baseline (off: for instruction counting with perf stat).")
        var baseline = true

        func run() throws {
            let workloads = RaspWorkload.all()
            print("detector        bytes  params   p50 µs   p99 µs  cpu µs  baseline p50 µs  cpu µs  ratio p50  ratio cpu")
            for workload in workloads where only.map({ workload.name.contains($0) }) ?? true {
                // The workload must be benign: a finding would mean the timing measures the wrong path.
                if let finding = workload.run() {
                    throw ValidationError("\(workload.name) workload unexpectedly flagged: \(finding.reason)")
                }
                let detector = measure(iterations) { workload.run() != nil }
                let baseline = self.baseline ? measure(iterations) { workload.baseline() } : (p50: 0, p99: 0, cpu: 0)
                let line = String(
                    format: "%@ %6d %7d %8.2f %8.2f %7.2f %16.2f %7.2f %10.2f %10.2f",
                    workload.name.padding(toLength: 14, withPad: " ", startingAt: 0),
                    workload.operationBytes, workload.parameters.count, detector.p50, detector.p99, detector.cpu,
                    baseline.p50, baseline.cpu, detector.p50 / max(baseline.p50, 0.001), detector.cpu / max(baseline.cpu, 0.001))
                print(line)
            }
            print("baseline: 20 naive byte-by-byte substring searches over the same operation; cpu: thread CPU time per call")
        }

        /// CPU time of this thread in microseconds: unlike wall time, it excludes time other processes ran.
        static func threadCPUMicroseconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
        }

        func measure(_ iterations: Int, _ body: () -> Bool) -> (p50: Double, p99: Double, cpu: Double) {
            let cpuStart = Self.threadCPUMicroseconds()
            let clock = ContinuousClock()
            var samples: [Double] = []
            samples.reserveCapacity(iterations)
            var sink = 0
            for _ in 0..<max(iterations, 1) {
                let start = clock.now
                if body() { sink &+= 1 }
                let (seconds, attoseconds) = (clock.now - start).components
                samples.append(Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
            }
            blackHole(sink)
            let cpu = (Self.threadCPUMicroseconds() - cpuStart) / Double(samples.count)
            samples.sort()
            return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 99 / 100)], cpu)
        }
    }
}

/// The baseline of `rampart rasp bench`: how many of `needles` occur in `haystack`, by plain byte-by-byte search
/// (the least work a detector that looks for every parameter in the operation can do without an index).
func naiveOccurrenceCount(_ needles: [String], in haystack: String) -> Int {
    var found = 0
    var haystack = haystack
    haystack.withUTF8 { text in
        for var needle in needles {
            needle.withUTF8 { pattern in
                guard let first = pattern.first, pattern.count <= text.count else { return }
                var i = 0
                while i <= text.count - pattern.count {
                    if text[i] == first {
                        var j = 1
                        while j < pattern.count && text[i + j] == pattern[j] { j += 1 }
                        if j == pattern.count { found += 1; return }
                    }
                    i += 1
                }
            }
        }
    }
    return found
}

/// A benign ~1 KB operation and 20 parameters for `rampart rasp bench`.
struct RaspWorkload {
    var name: String
    var operationBytes: Int
    var parameters: [UserParameter]
    var run: () -> InjectionFinding?
    var baseline: () -> Bool

    static func parameters(occurring: [String]) -> [UserParameter] {
        var values = occurring
        var index = 0
        while values.count < 20 {
            values.append(["en", "desc", "created_at", "1024", "jane.doe@example.org", "true", "page-\(index)", "Zürich"][index % 8])
            index += 1
        }
        return values.enumerated().map { UserParameter(value: $1, address: "server.request.query", keyPath: [.key("p\($0)")]) }
    }

    static func make(_ name: String, operation: String, occurring: [String], run: @escaping (String, [UserParameter]) -> InjectionFinding?) -> RaspWorkload {
        let parameters = parameters(occurring: occurring)
        let values = parameters.map(\.value)
        return RaspWorkload(
            name: name, operationBytes: operation.utf8.count, parameters: parameters,
            run: { run(operation, parameters) },
            baseline: { naiveOccurrenceCount(values, in: operation) < 0 })
    }

    static func all() -> [RaspWorkload] {
        let occurring = ["report 2024.pdf", "O'Brien; notes", "$(not-run)", "8.8.8.8", "--verbose"]
        var script = "set -e; cd /srv/app && convert 'report 2024.pdf' -resize 50% /tmp/out.png"
        script += " && echo \"O'Brien; notes\" | tee -a /var/log/app.log && printf '%s' '$(not-run)' > /dev/null"
        script += " && ping -c 1 8.8.8.8 --verbose"
        while script.utf8.count < 1000 { script += " && echo step-\(script.utf8.count) >> /tmp/trace.log" }

        var path = "/srv/app/storage/tenants/acme/uploads"
        while path.utf8.count < 1000 { path += "/folder-\(path.utf8.count)" }
        let pathParameters = ["folder-38", "report 2024.pdf", "uploads/folder-38", "a..b", "acme"]
        path += "/report 2024.pdf"

        var url = "https://api.partner.example:8443/v1/tenants/acme/search?q=report%202024&sort=desc"
        while url.utf8.count < 1000 { url += "&f\(url.utf8.count)=value-\(url.utf8.count)" }
        let urlParameters = ["acme", "desc", "report%202024", "v1", "value-100"]

        let argv = ["/usr/bin/convert"] + script.split(separator: " ").map(String.init)
        return [
            make("shi_detector", operation: script, occurring: occurring) {
                ShellInjectionDetector.detect(commandLine: $0, parameters: $1)
            },
            make("cmdi sh -c", operation: script, occurring: occurring) {
                CommandInjectionDetector.detect(arguments: ["/bin/sh", "-c", $0], parameters: $1)
            },
            make("cmdi argv", operation: script, occurring: occurring) { _, parameters in
                CommandInjectionDetector.detect(arguments: argv, parameters: parameters)
            },
            make("lfi_detector", operation: path, occurring: pathParameters) {
                PathTraversalDetector.detect(path: $0, parameters: $1)
            },
            make("ssrf_detector", operation: url, occurring: urlParameters) {
                SSRFDetector.detect(url: $0, parameters: $1)
            },
        ]
    }
}

/// Score of one operation type.
struct TypeScore {
    var attacks = 0
    var caught = 0
    var benign = 0
    var falsePositives: [String] = []
    var missed: [String] = []
    var skipped = 0
    /// Nanoseconds per detector call.
    var samples: [Double] = []

    func summary(_ type: String) -> String {
        if attacks + benign == 0 { return "\(type): skipped \(skipped) cases" }
        var text = "\(type): detected \(caught)/\(attacks) attacks, false positives \(falsePositives.count)/\(benign) benign"
        if !samples.isEmpty {
            let sorted = samples.sorted()
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] / 1000 }
            text += String(format: ", µs per call p50 %.2f p99 %.2f", percentile(0.5), percentile(0.99))
        }
        if !missed.isEmpty { text += ", missed: " + missed.joined(separator: " ") }
        if !falsePositives.isEmpty { text += ", flagged benign: " + falsePositives.joined(separator: " ") }
        return text
    }
}

/// One case of a RASP case file.
struct RaspCase {
    enum Verdict {
        case evaluated(InjectionFinding?)
        case skipped(String)
    }

    var id: String
    var type: String
    var label: String
    var operation: String
    var arguments: [String]
    var dialect: String
    var parameters: [UserParameter]

    static let addresses = [
        ("query", "server.request.query"), ("body", "server.request.body"), ("path_params", "server.request.path_params"),
    ]

    init(json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw ValidationError("case is not a JSON object")
        }
        guard let id = object["id"] as? String, let type = object["type"] as? String else {
            throw ValidationError("case needs string fields \"id\" and \"type\"")
        }
        self.id = id
        self.type = type
        label = object["label"] as? String ?? ""
        dialect = object["dialect"] as? String ?? "generic"
        if let text = object["operation"] as? String {
            operation = text
            arguments = [text]
        } else if let array = object["operation"] as? [Any] {
            arguments = array.map { "\($0)" }
            operation = arguments.joined(separator: " ")
        } else {
            throw ValidationError("case \(id): \"operation\" must be a string or an array of strings")
        }
        var parameters: [UserParameter] = []
        let params = object["params"] as? [String: Any] ?? [:]
        for (key, address) in Self.addresses {
            if let value = params[key] { Self.collect(value, address: address, path: [], into: &parameters) }
        }
        self.parameters = parameters
    }

    /// String leaves of a request value, with their key paths (maps sorted by key for stable output).
    static func collect(_ value: Any, address: String, path: [KeyPathComponent], into parameters: inout [UserParameter]) {
        switch value {
        case let text as String:
            parameters.append(UserParameter(value: text, address: address, keyPath: path))
        case let map as [String: Any]:
            for key in map.keys.sorted() {
                if let child = map[key] { collect(child, address: address, path: path + [.key(key)], into: &parameters) }
            }
        case let array as [Any]:
            for (index, child) in array.enumerated() {
                collect(child, address: address, path: path + [.index(index)], into: &parameters)
            }
        case let number as NSNumber:
            parameters.append(UserParameter(value: number.stringValue, address: address, keyPath: path))
        default:
            break
        }
    }

    func evaluate() -> Verdict {
        switch type {
        case "shell": .evaluated(ShellInjectionDetector.detect(commandLine: operation, parameters: parameters))
        case "exec": .evaluated(CommandInjectionDetector.detect(arguments: arguments, parameters: parameters))
        case "path": .evaluated(PathTraversalDetector.detect(path: operation, parameters: parameters))
        case "url": .evaluated(SSRFDetector.detect(url: operation, parameters: parameters))
        case "sql": evaluateSQL()
        default: .skipped("unknown type \(type)")
        }
    }

    /// Nanoseconds per call, one sample per call.
    func time(iterations: Int) -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let start = clock.now
            let verdict = evaluate()
            let elapsed = clock.now - start
            blackHole(verdict)
            let (seconds, attoseconds) = elapsed.components
            samples.append(Double(seconds) * 1e9 + Double(attoseconds) / 1e9)
        }
        return samples
    }
}

@inline(never) func blackHole<T>(_ value: T) { _ = value }

extension RaspCase {
    func evaluateSQL() -> Verdict {
        .evaluated(SQLInjectionDetector.detect(statement: operation, dialect: SQLDialect(dbType: dialect), parameters: parameters))
    }
}
