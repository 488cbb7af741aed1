import ArgumentParser
import Foundation
import RampartWAF

/// `rampart detect …`: run the injection detectors on values or statements read from standard input.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Run Rampart's injection detectors (is_sqli, is_xss, sqli_detector).",
        subcommands: [SQLi.self, XSS.self, SQL.self, Bench.self]
    )

    /// One verdict line of `detect sqli` / `detect xss`.
    struct ValueVerdict: Encodable {
        var detected: Bool
        var fingerprint: String?
        var context: String?
        var construct: String?
        var reason: String?
    }

    /// Reads one JSON value per line (a string; other JSON values are checked as their text) and prints one JSON
    /// verdict per line, in order. Lines that are not JSON are checked as raw text.
    static func eachValue(_ body: (String) -> ValueVerdict) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = Data()
        while let line = readLine(strippingNewline: true) {
            let value: String
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) {
                value = (object as? String) ?? "\(object)"
            } else {
                value = line
            }
            output.append(try encoder.encode(body(value)))
            output.append(0x0A)
            if output.count > 1 << 16 {
                FileHandle.standardOutput.write(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(output)
    }

    struct SQLi: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sqli",
            abstract: "is_sqli: read JSON values (one per line) on stdin, print {detected, fingerprint, context, reason}."
        )

        func run() throws {
            try DetectCommand.eachValue { value in
                guard let verdict = SQLiStringDetector.detect(value) else { return ValueVerdict(detected: false) }
                return ValueVerdict(detected: true, fingerprint: verdict.fingerprint, context: verdict.context.rawValue,
                                    reason: verdict.reason)
            }
        }
    }

    struct XSS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xss",
            abstract: "is_xss: read JSON values (one per line) on stdin, print {detected, construct, context, reason}."
        )

        func run() throws {
            try DetectCommand.eachValue { value in
                guard let verdict = XSSStringDetector.detect(value) else { return ValueVerdict(detected: false) }
                return ValueVerdict(detected: true, context: verdict.context.rawValue,
                                    construct: verdict.construct.description, reason: verdict.reason)
            }
        }
    }

    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "sqli_detector: check one statement against parameter values given as arguments."
        )

        @Option(help: "Dialect or db_type: postgresql, mysql, sqlite, mssql, oracle, generic.")
        var dialect = "generic"

        @Argument(help: "The SQL statement.")
        var statement: String

        @Argument(help: "Request parameter values.")
        var parameters: [String] = []

        func run() throws {
            let parameters = parameters.enumerated().map {
                UserParameter(value: $0.element, address: "cli", keyPath: [.index($0.offset)])
            }
            if let finding = SQLInjectionDetector.detect(statement: statement, dialect: SQLDialect(dbType: dialect),
                                                         parameters: parameters) {
                print("injection: parameter \(finding.parameter.keyPath.first.map { "\($0)" } ?? "?") "
                      + "at bytes \(finding.location.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "?"): \(finding.reason)")
                throw ExitCode(1)
            }
            print("no injection")
        }
    }
}

extension DetectCommand {
    /// `rampart detect bench`: per-call cost of the detectors, with the cost of merely tokenizing the same input
    /// measured in the same run as the baseline (the ratio is what to compare across machines).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure CPU µs per detector call (1 KB statement, 20 parameters; typical request values)."
        )

        @Option(help: "Iterations per measurement.")
        var iterations = 20_000

        func run() throws {
            let (statement, parameters) = Self.statementWorkload()
            print("statement: \(statement.utf8.count) bytes, \(parameters.count) parameters")
            let tokenize = measure { _ = SQLTokenizer.tokenize(statement, dialect: .postgresql).count }
            let benign = measure {
                _ = SQLInjectionDetector.detect(statement: statement, dialect: .postgresql, parameters: parameters)
            }
            var attackParameters = parameters
            attackParameters[attackParameters.count - 1] = UserParameter(value: "x' OR '1'='1", address: "bench")
            let attackStatement = statement.replacingOccurrences(of: "'needle'", with: "'x' OR '1'='1'")
            let attack = measure {
                _ = SQLInjectionDetector.detect(statement: attackStatement, dialect: .postgresql,
                                                parameters: attackParameters)
            }
            print(String(format: "tokenize statement (baseline): %.2f µs", tokenize))
            print(String(format: "sqli_detector, benign (parameters in literals):  %.2f µs  (%.2f× baseline)",
                         benign, benign / tokenize))
            print(String(format: "sqli_detector, attack:                           %.2f µs  (%.2f× baseline)",
                         attack, attack / tokenize))

            let values = Self.valueWorkload()
            let tokenizeValues = measure(iterations: iterations / 10) {
                for value in values { _ = SQLTokenizer.tokenize(value, dialect: .generic).count }
            } / Double(values.count)
            let sqli = measure(iterations: iterations / 10) {
                for value in values { _ = SQLiStringDetector.detect(value) }
            } / Double(values.count)
            let xss = measure(iterations: iterations / 10) {
                for value in values { _ = XSSStringDetector.detect(value) }
            } / Double(values.count)
            print(String(format: "tokenize one value (baseline): %.3f µs", tokenizeValues))
            print(String(format: "is_sqli per value: %.3f µs  (%.2f× baseline)", sqli, sqli / tokenizeValues))
            print(String(format: "is_xss per value:  %.3f µs  (%.2f× baseline)", xss, xss / tokenizeValues))
        }

        /// µs per call of `body`, in CPU time of this thread: on a shared, loaded machine wall-clock time mostly
        /// measures waiting for a core.
        func measure(iterations: Int? = nil, _ body: () -> Void) -> Double {
            let count = max(1, iterations ?? self.iterations)
            for _ in 0..<min(count, 100) { body() }
            let start = Self.threadCPUMicroseconds()
            for _ in 0..<count { body() }
            return (Self.threadCPUMicroseconds() - start) / Double(count)
        }

        static func threadCPUMicroseconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
        }

        /// About 1 KB of SQL: an ORM-style query whose literals hold five of the parameters; the other fifteen do
        /// not occur in it.
        static func statementWorkload() -> (String, [UserParameter]) {
            let inStatement = ["jane.doe@example.com", "hello world", "Tim O''Brien", "2024-05-01", "needle"]
            let absent = (0..<15).map { "value-\($0)-\(String(repeating: "x", count: $0 % 7))" }
            var statement = """
                SELECT u.id, u.name, u.email, u.created_at, o.id AS order_id, o.total, o.status, a.street, a.city, \
                a.postcode FROM users u JOIN orders o ON o.user_id = u.id LEFT JOIN addresses a ON a.user_id = u.id \
                WHERE u.email = '\(inStatement[0])' AND o.note LIKE '%\(inStatement[1])%' AND u.name <> '\(inStatement[2])' \
                AND o.created_at >= '\(inStatement[3])' AND o.tag = 'needle' AND o.status IN ('open', 'paid', 'shipped') \
                AND u.deleted_at IS NULL
                """
            while statement.utf8.count < 1000 {
                statement += " AND (o.total > 10 OR o.discount_code = 'SPRING' OR a.country = 'FR')"
            }
            statement += " ORDER BY o.created_at DESC LIMIT 50"
            let parameters = (inStatement.map { $0.replacingOccurrences(of: "''", with: "'") } + absent)
                .enumerated().map { UserParameter(value: $0.element, address: "server.request.query",
                                                  keyPath: [.key("p\($0.offset)"), .index(0)]) }
            return (statement, parameters)
        }

        static func valueWorkload() -> [String] {
            [
                "jane.doe@example.com", "hello world", "O'Reilly books on Swift concurrency", "42", "en-US,en;q=0.9",
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "50% off -- today only!",
                "' OR '1'='1", "<script>alert(1)</script>", "1 UNION SELECT password FROM users--",
                "{\"user\": {\"id\": 1809}}", "Use <b>bold</b> in markdown? No, use **bold**.",
            ]
        }
    }
}
