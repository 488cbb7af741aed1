import Foundation
import RampartProtocol
import Synchronization

/// `rampart platform bench`: measures event ingestion and the overview queries on a real store.
/// Ingestion goes through ``PlatformStore/ingest(_:app:now:)``, the path a heartbeat takes after JSON decoding.
public enum StoreBenchmark {
    public struct Result: Sendable {
        public var events: Int
        public var ingestSeconds: Double
        public var overviewMilliseconds: [Double]
        public var signalsMilliseconds: Double
        public var eventsPerSecond: Double { Double(events) / max(ingestSeconds, 1e-9) }
    }

    /// Ingests `total` events as `agents` agents of one application, running concurrently, each sending its
    /// heartbeats one after the other (as an agent does: the next heartbeat waits for the previous answer), with
    /// `batchSize` events per heartbeat.
    public static func run(
        store: PlatformStore, events total: Int, batchSize: Int = 100, agents agentCount: Int = 1,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> Result {
        let created = try await store.createApp(name: "bench-\(UUID().uuidString.prefix(8))")
        var agentIDs: [String] = []
        for index in 0..<max(1, agentCount) {
            let agentID = UUID().uuidString
            try await store.recordLogin(
                AgentLogin(agentID: agentID, appName: "bench", environment: "bench", hostname: "bench-\(index)", rampartVersion: "0",
                    swiftVersion: "6", os: "Linux", framework: "bench"),
                app: created.app, heartbeatInterval: 20)
            agentIDs.append(agentID)
        }
        let now = Date()
        let app = created.app
        let sentTotal = SentCounter()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (agentIndex, agentID) in agentIDs.enumerated() {
                // Agent k sends events k, k + agents, k + 2 * agents, ...: together every index below `total` once.
                let share = Array(stride(from: agentIndex, to: total, by: agentIDs.count))
                group.addTask {
                    var sequence = 0
                    var start = 0
                    while start < share.count {
                        let indices = share[start..<min(start + batchSize, share.count)]
                        start += indices.count
                        sequence += 1
                        let heartbeat = Heartbeat(
                            agentID: agentID, sequence: sequence, batches: [EventBatch(events: indices.map { event($0, now: now) })],
                            metrics: AgentMetrics())
                        guard try await store.ingest(heartbeat, app: app) != nil else { throw StorageError("benchmark agent vanished") }
                        progress(sentTotal.add(indices.count))
                    }
                }
            }
            try await group.waitForAll()
        }
        let ingest = started.duration(to: .now)
        let filter = EventFilter(since: now.addingTimeInterval(-86_400), until: now.addingTimeInterval(1))
        var overviewTimes: [Double] = []
        for appID in [nil, created.app.appID] {
            var scoped = filter
            scoped.appID = appID
            let start = ContinuousClock.now
            _ = try await store.overview(scoped)
            overviewTimes.append(milliseconds(start.duration(to: .now)))
        }
        let signalsStart = ContinuousClock.now
        _ = try await store.signals(filter, limit: 50)
        return Result(
            events: total, ingestSeconds: seconds(ingest), overviewMilliseconds: overviewTimes,
            signalsMilliseconds: milliseconds(signalsStart.duration(to: .now)))
    }

    /// The benchmark's event number `index`: one second apart going back from `now` (spread over 24 hours, the
    /// worst case for the counters), six categories, 40 routes, 1,000 client IPs.
    static func event(_ index: Int, now: Date) -> SecurityEvent {
        let categories = ["sql_injection", "xss", "lfi", "command_injection", "ssrf", "security_scanner"]
        let category = categories[index % categories.count]
        return SecurityEvent(
            timestamp: now.addingTimeInterval(-Double(index % 86_400)), kind: .waf, blocked: index % 3 == 0,
            route: "/route/\(index % 40)", method: "GET", path: "/route/\(index % 40)",
            clientIP: "198.51.\(index % 200).\(index % 250)", userAgent: "bench",
            rules: [RuleMatchEvidence(ruleID: "bench-\(category)", ruleName: category, category: category,
                operator: "match_regex", address: "server.request.query", keyPath: ["q"], value: "payload \(index)")],
            request: RequestSummary(headers: ["user-agent": "bench"], query: ["q": ["payload \(index)"]]))
    }

    /// Loads `total` events spread over the last 24 hours straight into the store, in transactions of `chunk`
    /// events, maintaining the overview counters as ingest does; skips HTTP and per-event JSON encoding (events of
    /// one category share a stored document) so that a million events load in a minute or so.
    /// Returns the application the events belong to.
    public static func bulkLoad(
        store: PlatformStore, events total: Int, chunk: Int = 5_000, now: Date = Date(), progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> AppRecord {
        let created = try await store.createApp(name: "bulk-\(UUID().uuidString.prefix(8))")
        let agentID = UUID().uuidString
        try await store.recordLogin(
            AgentLogin(agentID: agentID, appName: "bulk", environment: "production", hostname: "bulk", rampartVersion: "0",
                swiftVersion: "6", os: "Linux", framework: "bench"),
            app: created.app, heartbeatInterval: 20)
        let categories = ["sql_injection", "xss", "lfi", "command_injection", "ssrf", "security_scanner"]
        let nowMillis = Timestamp.milliseconds(now)
        func event(_ index: Int) -> SecurityEvent {
            let category = categories[index % categories.count]
            return SecurityEvent(
                timestamp: Timestamp.date(nowMillis - Int64(index % 86_400_000)), kind: .waf, blocked: index % 3 == 0,
                route: "/route/\(index % 40)", method: "GET", path: "/route/\(index % 40)",
                clientIP: "198.51.\(index % 200).\(index % 250)", userAgent: "bench",
                rules: [RuleMatchEvidence(ruleID: "bench-\(category)", ruleName: category, category: category,
                    operator: "match_regex", address: "server.request.query", keyPath: ["q"], value: "payload")],
                request: RequestSummary(headers: ["user-agent": "bench"], query: ["q": ["payload"]]))
        }
        var documents: [String: String] = [:]
        for index in categories.indices {
            documents[categories[index]] = String(decoding: try ProtocolCoding.encode(event(index)), as: UTF8.self)
        }
        let templates = documents
        let appID = created.app.appID
        var loaded = 0
        // Events are spread evenly over 24 hours whatever their number: one every 86_400_000 / total ms.
        let step = max(1, 86_400_000 / max(1, total))
        while loaded < total {
            let count = min(chunk, total - loaded)
            let first = loaded
            let events = (first..<(first + count)).map { index -> (SecurityEvent, String) in
                var generated = event(index)
                generated.timestamp = Timestamp.date(nowMillis - Int64(index * step % 86_400_000))
                let category = generated.rules.first?.category ?? ""
                return (generated, templates[category] ?? "{}")
            }
            try await store.database.transaction { executor in
                var rollups = EventRollups.Delta()
                _ = try await PlatformStore.insertEvents(
                    events, batchID: UUID().uuidString, appID: appID, agentID: agentID, environment: "production",
                    receivedAt: nowMillis, rollups: &rollups, executor: executor)
                try await rollups.apply(executor)
            }
            loaded += count
            progress(loaded)
        }
        return created.app
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        seconds(duration) * 1000
    }
}

/// Events sent so far by all the benchmark's agents, for progress lines.
private final class SentCounter: Sendable {
    private let total = Mutex(0)

    func add(_ count: Int) -> Int {
        total.withLock { total in
            total += count
            return total
        }
    }
}
