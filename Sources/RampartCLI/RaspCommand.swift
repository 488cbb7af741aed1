import ArgumentParser
import Foundation
import RampartWAF

/// `rampart rasp ...`: the RASP exploit detectors run on recorded operations.
struct RaspCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rasp",
        abstract: "Run the RASP exploit detectors (sqli, shi, cmdi, lfi, ssrf) on recorded operations.",
        subcommands: [Eval.self]
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
