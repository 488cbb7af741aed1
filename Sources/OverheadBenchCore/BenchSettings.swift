// OverheadBenchCore: what the two overhead benchmark apps (OverheadBenchVapor, OverheadBenchHummingbird) share —
// the command line, logging, the Rampart agent of the protected variant, and the data behind the endpoints.
// scripts/bench-overhead.sh serves each app without Rampart and with it and measures both with wrk.

import Foundation
import Logging
import Rampart

/// `<app> <plain|protected> <port>`: how a benchmark app is started (it serves on 127.0.0.1:<port>).
///
/// Endpoints (identical in every app and variant):
/// - `GET /search?q=...`: a small text answer (the GET target);
/// - `POST /orders`: decodes a JSON ``Order`` (about 2 KB in the benchmark) and answers a small JSON receipt;
/// - `GET /products?category=...`: an SQLite query through SQLKit (wrapped by RampartSQLKit in the protected
///   variant) rendered as JSON (the "realistic" endpoint).
public struct BenchSettings: Sendable {
    public let port: Int
    /// The Rampart agent of the protected variant (block mode, embedded default ruleset, RASP on); nil: plain.
    public let agent: RampartAgent?
    public let logger: Logger

    /// Reads the command line and sets up logging; exits with a usage message when the arguments are wrong.
    public static func fromCommandLine() -> BenchSettings {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let name = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "bench"
        guard arguments.count == 2, ["plain", "protected"].contains(arguments[0]), let port = Int(arguments[1]),
            (1...65535).contains(port)
        else {
            FileHandle.standardError.write(Data("usage: \(name) <plain|protected> <port>\n".utf8))
            exit(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            // Rampart's security events are warnings: a benign benchmark request that shows up here was flagged.
            handler.logLevel = .warning
            return handler
        }
        return BenchSettings(
            port: port, agent: arguments[0] == "protected" ? makeAgent() : nil, logger: Logger(label: name))
    }

    /// The configuration the overhead targets are stated for: block mode, the embedded default ruleset, RASP on.
    static func makeAgent() -> RampartAgent {
        var configuration = RampartConfiguration()
        configuration.mode = .block
        configuration.raspEnabled = true
        configuration.rulesPath = nil
        let agent = RampartAgent(configuration: configuration, logger: Logger(label: "rampart"))
        guard agent.isEnabled else {
            FileHandle.standardError.write(Data("Rampart did not start (no usable ruleset)\n".utf8))
            exit(1)
        }
        return agent
    }

    /// The realistic endpoint's catalog, queried through Rampart's SQL hook when the variant is protected.
    public func openCatalog() async throws -> ProductCatalog {
        try await ProductCatalog.open(logger: logger, protected: agent != nil)
    }
}
