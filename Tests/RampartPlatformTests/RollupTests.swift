import Foundation
import Logging
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The overview's counters against a direct count of the events: after ingest (with a resent batch), after a
/// retention pass that cuts through an hour, and after the migration rebuilds them from existing events.
@Suite("Overview counters")
struct RollupTests {
    /// A fixed instant in the middle of a minute and of an hour, so windows have partial edges.
    static let now = Date(timeIntervalSince1970: 1_790_000_000.437)

    @Test(arguments: Backend.available)
    func countersMatchTheEventsThroughIngestRetentionAndBackfill(_ backend: Backend) async throws {
        // On the shared PostgreSQL database other tests run retention passes against the real clock (down to one
        // day), so there the events are recent: within the last 20 hours.
        let now = backend == .sqlite ? Self.now : Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        let history = backend == .sqlite ? 9 * 86_400 : 20 * 3600
        try await withStore(backend) { store in
            let apps = [try await store.createApp(name: "rollup-a-\(UUID().uuidString.prefix(6))").app,
                        try await store.createApp(name: "rollup-b-\(UUID().uuidString.prefix(6))").app]
            var agents: [(AppRecord, String)] = []
            for (index, environment) in ["production", "staging", "production"].enumerated() {
                let agentID = UUID().uuidString
                let app = apps[index % 2]
                try await store.recordLogin(PlatformHarness.sampleLogin(agentID: agentID, environment: environment), app: app, heartbeatInterval: 20)
                agents.append((app, agentID))
            }
            var generator = SeededGenerator(seed: 7)
            let categories = ["sql_injection", "xss", "lfi", "ssrf"]
            var sequence = 0
            var resend: (Heartbeat, AppRecord)?
            for round in 0..<12 {
                let (app, agentID) = agents[round % agents.count]
                let events = (0..<150).map { _ in
                    // Spread over 9 days back (beyond the 7-day window) and a little into the future.
                    let offset = Double(Int.random(in: -600...history, using: &generator)) + Double(Int.random(in: 0...999, using: &generator)) / 1000
                    return PlatformHarness.sampleEvent(
                        at: now.addingTimeInterval(-offset), ip: "203.0.113.\(Int.random(in: 1...30, using: &generator))",
                        category: categories[Int.random(in: 0..<categories.count, using: &generator)],
                        blocked: Bool.random(using: &generator), route: "/r/\(Int.random(in: 1...15, using: &generator))")
                }
                sequence += 1
                let heartbeat = Heartbeat(agentID: agentID, sequence: sequence, batches: [EventBatch(events: events)], metrics: AgentMetrics())
                let result = try #require(try await store.ingest(heartbeat, app: app, now: now))
                #expect(result.storedEvents == 150)
                if round == 3 { resend = (heartbeat, app) }
            }
            // A retry of a stored batch is acknowledged and counted nowhere a second time.
            if let (heartbeat, app) = resend {
                let again = try #require(try await store.ingest(heartbeat, app: app, now: now))
                #expect(again.storedEvents == 0)
            }
            // A shared PostgreSQL database holds other tests' data: compare within this test's apps only there.
            guard backend == .sqlite else {
                try await expectCountersMatchEvents(store, apps: apps, now: now, wholeDatabase: false)
                return
            }
            #expect(try await store.eventCount() == 1800)
            try await expectCountersMatchEvents(store, apps: apps, now: now)

            // Retention through the middle of an hour and of a minute.
            let cutoff = Self.now.addingTimeInterval(-8 * 86_400 - 1_234.5)
            let deleted = try await store.deleteData(olderThan: cutoff, now: Self.now)
            #expect(deleted.events > 0)
            try await expectCountersMatchEvents(store, apps: apps, now: now)
            let oldWindow = EventFilter(since: cutoff.addingTimeInterval(-86_400), until: cutoff.addingTimeInterval(3_000))
            #expect(try await store.overview(oldWindow).total == store.overviewCountingEvents(oldWindow).total)

            // The migration creating the counters fills them from the events already there.
            for table in EventRollups.tables { try await store.database.query("DROP TABLE \(table.name)") }
            try await store.database.query("DELETE FROM schema_migrations WHERE version = \(EventRollups.migration.version)")
            #expect(try await store.migrate() == [EventRollups.migration.version])
            try await store.database.query("DROP TABLE \(EventRollups.signalsHour.name)")
            try await store.database.query("DELETE FROM schema_migrations WHERE version = \(EventRollups.signalsMigration.version)")
            #expect(try await store.migrate() == [EventRollups.signalsMigration.version])
            for table in EventRollups.minuteTopTables { try await store.database.query("DROP TABLE \(table.name)") }
            try await store.database.query("DELETE FROM schema_migrations WHERE version = \(EventRollups.minuteTopsMigration.version)")
            #expect(try await store.migrate() == [EventRollups.minuteTopsMigration.version])
            try await expectCountersMatchEvents(store, apps: apps, now: now)
        }
    }

    /// Heartbeats of many agents at once, each batch also resent at once by a second request: on SQLite they
    /// share transactions (group commit); every heartbeat is answered only after its batches are stored, every
    /// event is stored once, and the counters still equal a count of the events.
    @Test(arguments: Backend.available)
    func concurrentHeartbeatsAreStoredOnceAndAcknowledged(_ backend: Backend) async throws {
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        try await withStore(backend) { store in
            let app = try await store.createApp(name: "group-\(UUID().uuidString.prefix(6))").app
            let agentIDs = (0..<8).map { _ in UUID().uuidString }
            for agentID in agentIDs {
                try await store.recordLogin(PlatformHarness.sampleLogin(agentID: agentID, environment: "production"), app: app, heartbeatInterval: 20)
            }
            let stored = Locked(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (agentIndex, agentID) in agentIDs.enumerated() {
                    for sequence in 1...6 {
                        let events = (0..<20).map { index in
                            PlatformHarness.sampleEvent(
                                at: now.addingTimeInterval(-Double(agentIndex * 1000 + sequence * 20 + index)),
                                ip: "198.51.100.\(index % 7)", category: index % 2 == 0 ? "xss" : "lfi", blocked: index % 3 == 0,
                                route: "/r/\(index % 4)")
                        }
                        let heartbeat = Heartbeat(agentID: agentID, sequence: sequence, batches: [EventBatch(events: events)], metrics: AgentMetrics())
                        // The heartbeat and a retry of it, concurrently.
                        for _ in 0..<2 {
                            group.addTask {
                                let result = try #require(try await store.ingest(heartbeat, app: app, now: now))
                                #expect(result.acknowledgedBatchIDs == heartbeat.batches.map(\.batchID.uuidString))
                                // Acknowledged means committed: the batch is visible to any other reader.
                                let visible = try await store.database.query(
                                    "SELECT COUNT(*) AS n FROM events WHERE batch_id = $1", [.text(heartbeat.batches[0].batchID.uuidString)])
                                #expect(visible.first?.int("n") == 20)
                                stored.withLock { $0 += result.storedEvents }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(stored.withLock { $0 } == 8 * 6 * 20)
            let count = try await store.database.query("SELECT COUNT(*) AS n FROM events WHERE app_id = $1", [.text(app.appID)])
            #expect(count.first?.int("n") == 8 * 6 * 20)
            let filter = EventFilter(since: now.addingTimeInterval(-86_400), until: now.addingTimeInterval(1), appID: app.appID)
            let fromCounters = try await store.overview(filter)
            let fromEvents = try await store.overviewCountingEvents(filter)
            #expect(fromCounters.total == 8 * 6 * 20 && fromEvents.total == fromCounters.total)
            #expect(fromCounters.buckets == fromEvents.buckets)
            #expect(fromCounters.topIPs == fromEvents.topIPs)
            #expect(try await store.signals(filter) == store.signalsCountingEvents(filter))
        }
    }

    /// A body that throws inside a shared SQLite transaction undoes only its own writes; the others commit.
    @Test func aFailingWriteInAGroupLeavesTheOthersCommitted() async throws {
        try await withStore(.sqlite) { store in
            try await store.database.query("CREATE TABLE group_probe (id BIGINT PRIMARY KEY)")
            struct Refused: Error {}
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for id in 0..<24 {
                    group.addTask {
                        do {
                            try await store.database.groupedTransaction { executor in
                                try await executor.query("INSERT INTO group_probe (id) VALUES ($1)", [.int(id)])
                                if id % 5 == 0 { throw Refused() }
                            }
                            return (id, true)
                        } catch is Refused {
                            return (id, false)
                        }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let kept = Set(try await store.database.query("SELECT id FROM group_probe").compactMap { $0.int("id") })
            #expect(kept == Set((0..<24).filter { $0 % 5 != 0 }))
            #expect(outcomes.filter(\.value).count == kept.count)
        }
    }

    @Test func bucketsAreRoundAndAlignedSoCountersNeverStraddleThem() {
        let minute: Int64 = 60_000, hour: Int64 = 3_600_000
        #expect(OverviewPlan.roundBucketSize(75_000) == 2 * minute)
        #expect(OverviewPlan.roundBucketSize(30 * minute) == 30 * minute)
        #expect(OverviewPlan.roundBucketSize(3 * hour + 1) == 4 * hour)
        #expect(OverviewPlan.roundBucketSize(15 * hour) == 24 * hour)
        #expect(OverviewPlan.roundBucketSize(30 * 24 * hour + 5) == 31 * 24 * hour)
        let plan = OverviewPlan(EventFilter(since: Self.now.addingTimeInterval(-86_400), until: Self.now), bucketCount: 48)
        #expect(plan.bucketMillis == 30 * minute)
        #expect(plan.firstBucket % plan.bucketMillis == 0)
        #expect(plan.bucketCount == 49)
        #expect(EventRollups.slotStart(-1, size: minute) == -minute)
        #expect(EventRollups.slotStart(minute + 5, size: minute) == minute)
        // An empty or reversed window yields an empty overview, not a crash.
        let reversed = OverviewPlan(EventFilter(since: Self.now, until: Self.now.addingTimeInterval(-10)), bucketCount: 48)
        #expect(reversed.empty().total == 0)
        let absurd = OverviewPlan(EventFilter(since: .distantPast, until: .distantFuture), bucketCount: 48)
        #expect(absurd.bucketCount <= 50)
    }

    /// Every window the dashboard offers (and an odd one), for all apps, one app and one app and environment.
    private func expectCountersMatchEvents(_ store: PlatformStore, apps: [AppRecord], now: Date, wholeDatabase: Bool = true) async throws {
        let windows: [TimeInterval] = [3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 5_000.25]
        let scopes: [(String?, String?)] =
            wholeDatabase
            ? [(nil, nil), (apps[0].appID, nil), (apps[0].appID, "production"), (nil, "staging")]
            : [(apps[0].appID, nil), (apps[0].appID, "production"), (apps[1].appID, "staging")]
        for window in windows {
            for (appID, environment) in scopes {
                let exact = EventFilter(
                    since: now.addingTimeInterval(-window), until: now.addingTimeInterval(1), appID: appID, environment: environment)
                try await expectOverviewMatchesEvents(store, exact, window: window)
                // The dashboard's window, widened to whole minutes, is counted without reading any event.
                let filter = exact.wholeMinutes()
                #expect(filter.since <= exact.since && filter.until >= exact.until && filter.until.timeIntervalSince(exact.until) < 60)
                #expect(OverviewPlan(filter, bucketCount: 48).sources().events.allSatisfy { $0.0 >= $0.1 }, "window \(window)")
                try await expectOverviewMatchesEvents(store, filter, window: window)
                let signals = try await store.signals(exact)
                #expect(signals == (try await store.signalsCountingEvents(exact)), "signals, window \(window)")
                // The same for one attacker and one category.
                if let first = signals.first {
                    var narrowed = exact
                    narrowed.clientIP = first.clientIP
                    narrowed.category = first.category
                    #expect(try await store.signals(narrowed) == store.signalsCountingEvents(narrowed))
                }
            }
        }
        // The window with everything in it is not vacuous.
        #expect(try await store.overview(EventFilter(since: now.addingTimeInterval(-30 * 86_400), until: now.addingTimeInterval(3600))).total > 0)
        guard wholeDatabase else { return }
        for table in EventRollups.allTables {
            let sum = try await store.database.query("SELECT CAST(COALESCE(SUM(event_count), 0) AS BIGINT) AS n FROM \(table.name)").first?.int("n")
            #expect(sum == (try await store.eventCount()), "\(table.name)")
        }
    }

    private func expectOverviewMatchesEvents(_ store: PlatformStore, _ filter: EventFilter, window: TimeInterval) async throws {
        let fromCounters = try await store.overview(filter)
        let fromEvents = try await store.overviewCountingEvents(filter)
        let scope = "window \(window) \(filter.since)..<\(filter.until) scope \(filter.appID ?? "-")/\(filter.environment ?? "-")"
        #expect(fromCounters.total == fromEvents.total, "\(scope)")
        #expect(fromCounters.blocked == fromEvents.blocked, "\(scope)")
        #expect(fromCounters.buckets == fromEvents.buckets, "\(scope)")
        #expect(fromCounters.topCategories == fromEvents.topCategories, "\(scope)")
        #expect(fromCounters.topIPs == fromEvents.topIPs, "\(scope)")
        #expect(fromCounters.topRoutes == fromEvents.topRoutes, "\(scope)")
    }

    private func withStore(_ backend: Backend, _ body: (PlatformStore) async throws -> Void) async throws {
        let location = backend.location()
        let store = try await PlatformStore.connect(location, logger: Logger(label: "rollup-test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let postgres = store.database as? PostgresDatabase { group.addTask { await postgres.run() } }
            defer { group.cancelAll() }
            try await store.migrate()
            try await body(store)
        }
        try await store.database.close()
        if case .sqlite(let path) = location {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}

/// A small deterministic generator (SplitMix64) so a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
