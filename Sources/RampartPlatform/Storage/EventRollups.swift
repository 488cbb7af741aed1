/// Aggregate counters kept next to the events table so that the overview reads a few hundred rows instead of
/// every event in its window.
///
/// Four tables, all keyed by the start of a time slot (Unix milliseconds, floored to the slot size):
/// - `event_counts_minute` and `event_counts_hour`: events per app, environment, category and blocked flag;
/// - `event_ips_hour` and `event_routes_hour`: events per app, environment and client IP / route.
///
/// They are updated in the transaction that inserts the events (only for events actually inserted, so a resent
/// batch counts once), rebuilt from the events in the migration that creates them, and kept exact by retention:
/// slots wholly before the cutoff are deleted and the slot containing the cutoff is recounted from the events left.
enum EventRollups {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    /// The start of the slot of `size` milliseconds containing `millis` (floor, also for negative times).
    static func slotStart(_ millis: Int64, size: Int64) -> Int64 {
        let remainder = millis % size
        return remainder < 0 ? millis &- remainder &- size : millis &- remainder
    }

    /// The SQL spelling of ``slotStart(_:size:)`` for a column, identical in SQLite and PostgreSQL.
    static func slotStartSQL(_ column: String, size: Int64) -> String {
        "(\(column) - ((\(column) % \(size)) + \(size)) % \(size))"
    }

    /// One table: its name, the columns after `bucket_start, app_id, environment`, and how each is computed from an
    /// events row.
    struct Table: Sendable {
        var name: String
        var size: Int64
        var dimensions: [String]

        var keyColumns: [String] { ["bucket_start", "app_id", "environment"] + dimensions }

        var createSQL: String {
            let dimensionColumns = dimensions.map { "\($0) \($0 == "blocked" ? "BIGINT" : "TEXT") NOT NULL" }
            let columns =
                ["bucket_start BIGINT NOT NULL", "app_id TEXT NOT NULL", "environment TEXT NOT NULL"] + dimensionColumns
                + ["event_count BIGINT NOT NULL", "PRIMARY KEY (\(keyColumns.joined(separator: ", ")))"]
            return "CREATE TABLE \(name) (\(columns.joined(separator: ", ")))"
        }

        /// Recounts the slots in `[from, until)` (bounds on the slot grid) from the events; without bounds, all.
        func rebuildSQL(bounded: Bool) -> String {
            let keys = keyColumns.joined(separator: ", ")
            let selected = ([Self.slotSQL(size)] + keyColumns.dropFirst()).joined(separator: ", ")
            let groups = (1...keyColumns.count).map(String.init).joined(separator: ", ")
            let condition = bounded ? " WHERE occurred_at >= $1 AND occurred_at < $2" : ""
            return "INSERT INTO \(name) (\(keys), event_count) SELECT \(selected), COUNT(*) FROM events\(condition) GROUP BY \(groups)"
        }

        private static func slotSQL(_ size: Int64) -> String { EventRollups.slotStartSQL("occurred_at", size: size) }
    }

    static let countsMinute = Table(name: "event_counts_minute", size: minute, dimensions: ["category", "blocked"])
    static let countsHour = Table(name: "event_counts_hour", size: hour, dimensions: ["category", "blocked"])
    static let ipsHour = Table(name: "event_ips_hour", size: hour, dimensions: ["client_ip"])
    static let routesHour = Table(name: "event_routes_hour", size: hour, dimensions: ["route"])
    static let tables = [countsMinute, countsHour, ipsHour, routesHour]

    /// Creates the tables and fills them from the events already stored.
    static let migration = Migrations.Migration(
        version: 3, name: "event rollups for the overview",
        statements: tables.map(\.createSQL) + tables.map { $0.rebuildSQL(bounded: false) })

    /// Counts of newly stored events, gathered in memory and added to the tables in a few statements.
    struct Delta: Sendable {
        private var counts: [Table.Key: Int64] = [:]

        var isEmpty: Bool { counts.isEmpty }

        mutating func add(occurredAt: Int64, appID: String, environment: String, category: String, blocked: Bool, clientIP: String, route: String) {
            let blockedText = blocked ? "1" : "0"
            func bump(_ table: Table, _ values: [String]) {
                let key = Table.Key(table: table.name, slot: EventRollups.slotStart(occurredAt, size: table.size), appID: appID, environment: environment, values: values)
                counts[key, default: 0] &+= 1
            }
            bump(EventRollups.countsMinute, [category, blockedText])
            bump(EventRollups.countsHour, [category, blockedText])
            bump(EventRollups.ipsHour, [clientIP])
            bump(EventRollups.routesHour, [route])
        }

        /// Adds the counts with multi-row upserts (each key once per statement, as PostgreSQL requires).
        func apply(_ executor: any SQLExecutor) async throws {
            for table in EventRollups.tables {
                let rows = counts.filter { $0.key.table == table.name }.sorted { $0.key < $1.key }
                let columnCount = table.keyColumns.count + 1
                var start = 0
                while start < rows.count {
                    let chunk = rows[start..<min(start + 200, rows.count)]
                    start += chunk.count
                    var placeholders: [String] = []
                    var binds: [SQLValue] = []
                    for (offset, (key, count)) in chunk.enumerated() {
                        let base = offset * columnCount
                        placeholders.append("(" + (1...columnCount).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                        binds += [.integer(key.slot), .text(key.appID), .text(key.environment)]
                        for (dimension, value) in zip(table.dimensions, key.values) {
                            binds.append(dimension == "blocked" ? .integer(value == "1" ? 1 : 0) : .text(value))
                        }
                        binds.append(.integer(count))
                    }
                    try await executor.query(
                        """
                        INSERT INTO \(table.name) (\(table.keyColumns.joined(separator: ", ")), event_count)
                        VALUES \(placeholders.joined(separator: ", "))
                        ON CONFLICT (\(table.keyColumns.joined(separator: ", ")))
                        DO UPDATE SET event_count = \(table.name).event_count + excluded.event_count
                        """, binds)
                }
            }
        }
    }

    /// After events before `cutoff` were deleted: drops the slots wholly before it and recounts the slot that
    /// contains it, so the tables again equal a count of the events.
    static func trim(before cutoff: Int64, _ executor: any SQLExecutor) async throws {
        for table in tables {
            let slot = slotStart(cutoff, size: table.size)
            let slotEnd = slot &+ table.size
            try await executor.query("DELETE FROM \(table.name) WHERE bucket_start < $1", [.integer(slotEnd)])
            try await executor.query(table.rebuildSQL(bounded: true), [.integer(slot), .integer(slotEnd)])
        }
    }

    /// Empties the tables and recounts them from all events (after a bulk load that bypassed ``Delta``).
    static func rebuild(_ executor: any SQLExecutor) async throws {
        for table in tables {
            try await executor.query("DELETE FROM \(table.name)")
            try await executor.query(table.rebuildSQL(bounded: false))
        }
    }
}

extension EventRollups.Table {
    /// One counter: table, slot, app, environment and the table's dimension values.
    struct Key: Hashable, Sendable, Comparable {
        var table: String
        var slot: Int64
        var appID: String
        var environment: String
        var values: [String]

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.table, lhs.slot, lhs.appID, lhs.environment) < (rhs.table, rhs.slot, rhs.appID, rhs.environment)
                || ((lhs.table, lhs.slot, lhs.appID, lhs.environment) == (rhs.table, rhs.slot, rhs.appID, rhs.environment)
                    && lhs.values.lexicographicallyPrecedes(rhs.values))
        }
    }
}
