import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import RampartPlatform

/// `rampart platform bench --overview-events N`: loads N events into a store, serves the platform on 127.0.0.1 and
/// times the dashboard's overview and signals pages as a logged-in browser fetches them, over real HTTP.
enum OverviewBenchmark {
    struct WindowTiming {
        /// `overview` or `signals`.
        var page: String
        var window: String
        var firstMilliseconds: Double
        var medianMilliseconds: Double
        var maximumMilliseconds: Double
        var totalAttacks: String
    }

    struct Result {
        var events: Int
        var loadSeconds: Double
        var firstHealthMilliseconds: Double
        var timings: [WindowTiming]
    }

    static func run(location: DatabaseLocation, events: Int, requestsPerWindow: Int) async throws -> Result {
        var logger = Logger(label: "rampart.platform.bench")
        logger.logLevel = .warning
        let store = try await PlatformStore.connect(location, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = try PlatformServer.makeApplication(
            store: store, configuration: PlatformConfiguration(host: "127.0.0.1", port: 0, database: location), logger: logger,
            onServerRunning: { port in portContinuation.yield(port) })
        defer { Task { try? await store.database.close() } }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw BenchmarkError("the platform did not start") }

            let loadStart = ContinuousClock.now
            _ = try await StoreBenchmark.bulkLoad(store: store, events: events, chunk: 5_000) { loaded in
                if loaded % 100_000 == 0 || loaded == events { say("  \(loaded) events loaded") }
            }
            let loadSeconds = seconds(loadStart.duration(to: .now))

            let username = "bench-\(UUID().uuidString.prefix(8))"
            let password = try await store.createUser(username: username, role: .viewer)
            guard let user = try await store.verifyLogin(username: username, password: password) else {
                throw BenchmarkError("could not log the benchmark user in")
            }
            let token = try await store.createSession(for: user, lifetime: 3600)
            // The process's first HTTP request, to a page that reads nothing: what a first request costs apart from
            // the database and the templates (HTTP client and server start-up).
            let healthStart = ContinuousClock.now
            let health = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(60))
            _ = try await health.body.collect(upTo: 1 << 16)
            let firstHealthMilliseconds = seconds(healthStart.duration(to: .now)) * 1000
            var timings: [WindowTiming] = []
            let pages = ["1h", "6h", "24h", "7d", "30d"].map { ("overview", "/", $0) } + ["1h", "24h", "7d"].map { ("signals", "/signals", $0) }
            for (page, path, window) in pages {
                var durations: [Double] = []
                var totalAttacks = "?"
                for _ in 0..<(requestsPerWindow + 1) {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)?window=\(window)")
                    request.headers.add(name: "Cookie", value: "rampart_session=\(token)")
                    let start = ContinuousClock.now
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                    let body = String(buffer: try await response.body.collect(upTo: 16 << 20))
                    durations.append(seconds(start.duration(to: .now)) * 1000)
                    guard response.status == .ok else { throw BenchmarkError("\(page) answered \(response.status.code)") }
                    totalAttacks = number(after: #"id="total-attacks">"#, in: body).map { "\($0) attacks" }
                        ?? "\(body.components(separatedBy: "<tr").count - 1) table rows"
                }
                let warm = durations.dropFirst().sorted()
                timings.append(
                    WindowTiming(
                        page: page, window: window, firstMilliseconds: durations.first ?? 0,
                        medianMilliseconds: warm.isEmpty ? 0 : warm[warm.count / 2], maximumMilliseconds: warm.last ?? 0,
                        totalAttacks: totalAttacks))
            }
            return Result(events: events, loadSeconds: loadSeconds, firstHealthMilliseconds: firstHealthMilliseconds, timings: timings)
        }
    }

    /// The digits following `marker` in the page (the overview prints its totals in elements with ids).
    private static func number(after marker: String, in page: String) -> String? {
        guard let range = page.range(of: marker) else { return nil }
        return String(page[range.upperBound...].prefix { $0.isNumber })
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
