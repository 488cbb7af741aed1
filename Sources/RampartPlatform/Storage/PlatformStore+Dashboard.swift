import Foundation
import RampartProtocol

/// The queries behind the dashboard pages.
extension PlatformStore {
    /// Builds `WHERE ...` over the events table for a filter, numbering placeholders from `$1`.
    static func whereClause(_ filter: EventFilter, table: String = "") -> (sql: String, binds: [SQLValue]) {
        let prefix = table.isEmpty ? "" : table + "."
        var conditions = ["\(prefix)occurred_at >= $1", "\(prefix)occurred_at < $2"]
        var binds: [SQLValue] = [.integer(Timestamp.milliseconds(filter.since)), .integer(Timestamp.milliseconds(filter.until))]
        func add(_ column: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            binds.append(.text(value))
            conditions.append("\(prefix)\(column) = $\(binds.count)")
        }
        add("app_id", filter.appID)
        add("environment", filter.environment)
        add("client_ip", filter.clientIP)
        add("category", filter.category)
        return ("WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// The most recent events matching a filter.
    public func events(_ filter: EventFilter, limit: Int = 100) async throws -> [StoredEvent] {
        let (whereSQL, binds) = Self.whereClause(filter, table: "events")
        return try await database.query(
            """
            SELECT events.*, apps.name AS app_name FROM events JOIN apps ON apps.app_id = events.app_id
            \(whereSQL)
            ORDER BY events.occurred_at DESC LIMIT \(max(1, min(limit, 1000)))
            """, binds
        ).compactMap(Self.storedEvent)
    }

    public func event(id: String) async throws -> StoredEvent? {
        try await database.query(
            "SELECT events.*, apps.name AS app_name FROM events JOIN apps ON apps.app_id = events.app_id WHERE event_id = $1",
            [.text(id)]
        ).first.flatMap(Self.storedEvent)
    }

    public func eventCount() async throws -> Int {
        try await database.query("SELECT COUNT(*) AS n FROM events").first?.int("n") ?? 0
    }

    /// Distinct environments seen, for the filter bar.
    public func environments() async throws -> [String] {
        try await database.query("SELECT DISTINCT environment FROM agents ORDER BY environment").compactMap { $0.string("environment") }
    }

    static func storedEvent(_ row: SQLRow) -> StoredEvent? {
        guard let document = row.string("document"),
            let event = try? ProtocolCoding.decode(SecurityEvent.self, from: Data(document.utf8))
        else { return nil }
        return StoredEvent(
            event: event, appID: row.string("app_id") ?? "", appName: row.string("app_name") ?? "",
            agentID: row.string("agent_id") ?? "", environment: row.string("environment") ?? "",
            receivedAt: Timestamp.date(Int64(row.int("received_at") ?? 0)))
    }
}
