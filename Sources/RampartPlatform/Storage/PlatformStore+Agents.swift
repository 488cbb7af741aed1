import Foundation
import RampartProtocol

extension PlatformStore {
    /// Records an agent's login and inventory (a repeated login of the same agent id updates it).
    public func recordLogin(_ login: AgentLogin, app: AppRecord, heartbeatInterval: Int, now: Date = Date()) async throws {
        let encoder = ProtocolCoding.makeEncoder()
        let routes = String(decoding: try encoder.encode(login.routes), as: UTF8.self)
        let dependencies = String(decoding: try encoder.encode(login.dependencies), as: UTF8.self)
        let nowMillis = Timestamp.milliseconds(now)
        let existing = try await database.query("SELECT app_id FROM agents WHERE agent_id = $1", [.text(login.agentID)])
        if let owner = existing.first?.string("app_id"), owner != app.appID {
            throw StorageError("agent id \(login.agentID) belongs to another application")
        }
        try await database.query(
            """
            INSERT INTO agents (agent_id, app_id, environment, hostname, rampart_version, swift_version, os, framework,
                routes, dependencies, first_seen, last_login, heartbeat_interval, delivered_revision)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0)
            ON CONFLICT (agent_id) DO UPDATE SET environment = excluded.environment, hostname = excluded.hostname,
                rampart_version = excluded.rampart_version, swift_version = excluded.swift_version, os = excluded.os,
                framework = excluded.framework, routes = excluded.routes, dependencies = excluded.dependencies,
                last_login = excluded.last_login, heartbeat_interval = excluded.heartbeat_interval
            """,
            [.text(login.agentID), .text(app.appID), .text(login.environment), .text(login.hostname),
             .text(login.rampartVersion), .text(login.swiftVersion), .text(login.os), .text(login.framework),
             .text(routes), .text(dependencies), .integer(nowMillis), .integer(nowMillis), .int(heartbeatInterval)])
    }

    /// The result of storing a heartbeat.
    public struct IngestResult: Sendable {
        /// Every batch of the heartbeat: newly stored or stored before.
        public var acknowledgedBatchIDs: [String]
        /// Events newly stored (duplicates of earlier deliveries excluded).
        public var storedEvents: Int
        /// The settings revision the agent had applied, as far as the platform knows.
        public var agentRevision: Int
        /// The settings revision last recorded as sent to the agent (see ``recordDelivered(revision:agentID:)``).
        public var deliveredRevision: Int
    }

    /// Stores a heartbeat's batches and metrics atomically. A batch id already stored is acknowledged
    /// without storing its events again. Returns nil when the agent is unknown for this application.
    public func ingest(_ heartbeat: Heartbeat, app: AppRecord, now: Date = Date()) async throws -> IngestResult? {
        // Encode before the transaction: no JSON work while holding SQLite's lock.
        let batches = heartbeat.batches.map { batch in
            (batchID: batch.batchID.uuidString, events: batch.events.map { ($0, EventDocument.json($0)) })
        }
        let appID = app.appID
        let nowMillis = Timestamp.milliseconds(now)
        // Grouped: on SQLite, heartbeats arriving together share one transaction (and one COMMIT); each still
        // returns only once its batches are committed.
        return try await database.groupedTransaction { executor -> IngestResult? in
            // The agent's row is updated first and read back in the same statement (one statement fewer per
            // heartbeat); an unknown agent updates nothing and stores nothing.
            let metrics = heartbeat.metrics
            let agentRows = try await executor.query(
                """
                UPDATE agents SET last_heartbeat = $1, last_sequence = $2, ruleset_version = COALESCE($3, ruleset_version),
                    total_requests = total_requests + $4, total_blocked = total_blocked + $5,
                    total_attacks = total_attacks + $6, dropped_events = dropped_events + $7,
                    waf_timeouts = waf_timeouts + $8, waf_p99_micros = $9
                WHERE agent_id = $10 AND app_id = $11 RETURNING environment, delivered_revision
                """,
                [.integer(nowMillis), .int(heartbeat.sequence), .optionalText(heartbeat.rulesetVersion),
                 .int(max(0, metrics.requests)), .int(max(0, metrics.blocked)), .int(max(0, metrics.attacks)),
                 .int(max(0, metrics.droppedEvents)), .int(max(0, metrics.wafTimeouts)), .int(max(0, metrics.wafP99Micros)),
                 .text(heartbeat.agentID), .text(appID)])
            guard let agent = agentRows.first else { return nil }
            let environment = agent.string("environment") ?? ""
            var stored = 0
            var rollups = EventRollups.Delta()
            for batch in batches {
                let inserted = try await executor.query(
                    """
                    INSERT INTO event_batches (batch_id, app_id, agent_id, received_at, event_count)
                    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id
                    """,
                    [.text(batch.batchID), .text(appID), .text(heartbeat.agentID), .integer(nowMillis), .int(batch.events.count)])
                guard !inserted.isEmpty else { continue }
                stored += try await Self.insertEvents(
                    batch.events, batchID: batch.batchID, appID: appID, agentID: heartbeat.agentID,
                    environment: environment, receivedAt: nowMillis, rollups: &rollups, executor: executor)
            }
            try await rollups.apply(executor)
            let delivered = agent.int("delivered_revision") ?? 0
            return IngestResult(
                acknowledgedBatchIDs: batches.map(\.batchID), storedEvents: stored,
                agentRevision: heartbeat.settingsRevision ?? delivered, deliveredRevision: delivered)
        }
    }

    /// Multi-row inserts, 50 events per statement; an event id seen before is skipped. The events inserted are
    /// added to `rollups`, which the caller applies in the same transaction.
    static func insertEvents(
        _ events: [(SecurityEvent, String)], batchID: String, appID: String, agentID: String, environment: String,
        receivedAt: Int64, rollups: inout EventRollups.Delta, executor: any SQLExecutor
    ) async throws -> Int {
        var stored = 0
        var start = 0
        let columns = 17
        while start < events.count {
            let chunk = events[start..<min(start + 50, events.count)]
            start += chunk.count
            var placeholders: [String] = []
            var binds: [SQLValue] = []
            for (offset, (event, document)) in chunk.enumerated() {
                let base = offset * columns
                placeholders.append("(" + (1...columns).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                let firstRule = event.rules.first
                binds += [
                    .text(event.eventID.uuidString), .text(batchID), .text(appID), .text(agentID), .text(environment),
                    .integer(Timestamp.milliseconds(event.timestamp)), .integer(receivedAt), .text(event.kind.rawValue),
                    .bool(event.blocked), .text(event.route), .text(event.method), .text(event.path), .text(event.clientIP),
                    .optionalText(event.userID), .text(firstRule?.category ?? event.kind.rawValue),
                    .text(firstRule?.ruleID ?? ""), .text(document),
                ]
            }
            let rows = try await executor.query(
                """
                INSERT INTO events (event_id, batch_id, app_id, agent_id, environment, occurred_at, received_at, kind,
                    blocked, route, method, path, client_ip, user_id, category, rule_id, document)
                VALUES \(placeholders.joined(separator: ", "))
                ON CONFLICT (event_id) DO NOTHING RETURNING event_id
                """, binds)
            stored += rows.count
            // Each id returned counts once, even if a batch repeats an event id.
            var inserted = Set(rows.compactMap { $0.string("event_id") })
            for (event, _) in chunk where inserted.remove(event.eventID.uuidString) != nil {
                rollups.add(
                    occurredAt: Timestamp.milliseconds(event.timestamp), appID: appID, environment: environment,
                    category: event.rules.first?.category ?? event.kind.rawValue, blocked: event.blocked,
                    clientIP: event.clientIP, route: event.route)
            }
        }
        return stored
    }

    /// Records the settings revision sent to an agent, used when its next heartbeat does not say which it applied.
    public func recordDelivered(revision: Int, agentID: String) async throws {
        try await database.query(
            "UPDATE agents SET delivered_revision = $1 WHERE agent_id = $2", [.int(revision), .text(agentID)])
    }

    public func agents(appID: String? = nil) async throws -> [AgentRecord] {
        var sql = """
            SELECT agents.*, apps.name AS app_name FROM agents JOIN apps ON apps.app_id = agents.app_id
            """
        var binds: [SQLValue] = []
        if let appID {
            sql += " WHERE agents.app_id = $1"
            binds.append(.text(appID))
        }
        sql += " ORDER BY apps.name, agents.environment, agents.hostname, agents.last_login DESC"
        let decoder = ProtocolCoding.makeDecoder()
        return try await database.query(sql, binds).compactMap { row in
            guard let agentID = row.string("agent_id"), let appID = row.string("app_id") else { return nil }
            let routes = (try? decoder.decode([RouteInfo].self, from: Data((row.string("routes") ?? "[]").utf8))) ?? []
            let dependencies =
                (try? decoder.decode([Dependency].self, from: Data((row.string("dependencies") ?? "[]").utf8))) ?? []
            return AgentRecord(
                agentID: agentID, appID: appID, appName: row.string("app_name") ?? "",
                environment: row.string("environment") ?? "", hostname: row.string("hostname") ?? "",
                rampartVersion: row.string("rampart_version") ?? "", swiftVersion: row.string("swift_version") ?? "",
                os: row.string("os") ?? "", framework: row.string("framework") ?? "", routes: routes,
                dependencies: dependencies, firstSeen: Timestamp.date(Int64(row.int("first_seen") ?? 0)),
                lastLogin: Timestamp.date(Int64(row.int("last_login") ?? 0)),
                lastHeartbeat: row.int("last_heartbeat").map { Timestamp.date(Int64($0)) },
                heartbeatInterval: row.int("heartbeat_interval") ?? 20, rulesetVersion: row.string("ruleset_version"),
                totalRequests: row.int("total_requests") ?? 0, totalBlocked: row.int("total_blocked") ?? 0,
                totalAttacks: row.int("total_attacks") ?? 0, droppedEvents: row.int("dropped_events") ?? 0,
                wafTimeouts: row.int("waf_timeouts") ?? 0, wafP99Micros: row.int("waf_p99_micros") ?? 0)
        }
    }
}
