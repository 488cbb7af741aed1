/// Aggregate counters kept next to the events table so that the overview and the signals page read rollup rows
/// instead of every event in their window.
///
/// Seven tables, all keyed by the start of a time slot (Unix milliseconds, floored to the slot size):
/// - `event_counts_minute` and `event_counts_hour`: events per app, environment, category and blocked flag;
/// - `event_ips_minute`, `event_ips_hour`, `event_routes_minute` and `event_routes_hour`: events per app,
///   environment and client IP / route;
/// - `event_signals_hour`: events, blocked events and first / last occurrence per app, environment, client IP,
///   category and route (the signals page's groups and their routes).
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

    /// A value a table keeps per key, with how it is computed from events and how two values combine.
    enum Measure: Sendable, CaseIterable {
        case count, blockedCount, firstSeen, lastSeen

        var column: String {
            switch self {
            case .count: "event_count"
            case .blockedCount: "blocked_count"
            case .firstSeen: "first_seen"
            case .lastSeen: "last_seen"
            }
        }

        /// The aggregate over events rows, for rebuilding.
        var aggregateSQL: String {
            switch self {
            case .count: "COUNT(*)"
            case .blockedCount: "CAST(SUM(blocked) AS BIGINT)"
            case .firstSeen: "MIN(occurred_at)"
            case .lastSeen: "MAX(occurred_at)"
            }
        }

        /// The upsert's combination of the stored value with `excluded` (CASE rather than MIN/LEAST, which the two
        /// databases spell differently).
        func mergeSQL(table: String) -> String {
            let stored = "\(table).\(column)", added = "excluded.\(column)"
            return switch self {
            case .count, .blockedCount: "\(stored) + \(added)"
            case .firstSeen: "CASE WHEN \(added) < \(stored) THEN \(added) ELSE \(stored) END"
            case .lastSeen: "CASE WHEN \(added) > \(stored) THEN \(added) ELSE \(stored) END"
            }
        }
    }

    /// A column a table counts by, besides the slot, app and environment.
    enum Dimension: String, Sendable {
        case category, blocked, clientIP = "client_ip", route
    }

    /// One table: its name, slot size, the columns after `bucket_start, app_id, environment`, and its measures.
    struct Table: Sendable {
        var name: String
        var size: Int64
        var dimensions: [Dimension]
        var measures: [Measure] = [.count]

        var keyColumns: [String] { ["bucket_start", "app_id", "environment"] + dimensions.map(\.rawValue) }

        var createSQL: String { createSQL(named: name, clustered: false) }

        /// `clustered` (SQLite only): a WITHOUT ROWID table, stored in its primary key's B-tree. An upsert then
        /// touches one B-tree instead of the key index and the row table, and a time range is read from
        /// consecutive pages.
        func createSQL(named tableName: String, clustered: Bool) -> String {
            let dimensionColumns = dimensions.map { "\($0.rawValue) \($0 == .blocked ? "BIGINT" : "TEXT") NOT NULL" }
            let columns =
                ["bucket_start BIGINT NOT NULL", "app_id TEXT NOT NULL", "environment TEXT NOT NULL"] + dimensionColumns
                + measures.map { "\($0.column) BIGINT NOT NULL" } + ["PRIMARY KEY (\(keyColumns.joined(separator: ", ")))"]
            return "CREATE TABLE \(tableName) (\(columns.joined(separator: ", ")))\(clustered ? " WITHOUT ROWID" : "")"
        }

        /// SQLite: replaces the table by a WITHOUT ROWID copy holding the same rows.
        var clusterSQL: [String] {
            let columns = (keyColumns + measures.map(\.column)).joined(separator: ", ")
            return [
                createSQL(named: "\(name)_clustered", clustered: true),
                "INSERT INTO \(name)_clustered (\(columns)) SELECT \(columns) FROM \(name)",
                "DROP TABLE \(name)",
                "ALTER TABLE \(name)_clustered RENAME TO \(name)",
            ]
        }

        /// Recounts the slots in `[from, until)` (bounds on the slot grid) from the events; without bounds, all.
        func rebuildSQL(bounded: Bool) -> String {
            let columns = (keyColumns + measures.map(\.column)).joined(separator: ", ")
            let selected = ([Self.slotSQL(size)] + keyColumns.dropFirst() + measures.map(\.aggregateSQL)).joined(separator: ", ")
            let groups = (1...keyColumns.count).map(String.init).joined(separator: ", ")
            let condition = bounded ? " WHERE occurred_at >= $1 AND occurred_at < $2" : ""
            return "INSERT INTO \(name) (\(columns)) SELECT \(selected) FROM events\(condition) GROUP BY \(groups)"
        }

        private static func slotSQL(_ size: Int64) -> String { EventRollups.slotStartSQL("occurred_at", size: size) }
    }

    static let countsMinute = Table(name: "event_counts_minute", size: minute, dimensions: [.category, .blocked])
    static let countsHour = Table(name: "event_counts_hour", size: hour, dimensions: [.category, .blocked])
    static let ipsHour = Table(name: "event_ips_hour", size: hour, dimensions: [.clientIP])
    static let routesHour = Table(name: "event_routes_hour", size: hour, dimensions: [.route])
    static let ipsMinute = Table(name: "event_ips_minute", size: minute, dimensions: [.clientIP])
    static let routesMinute = Table(name: "event_routes_minute", size: minute, dimensions: [.route])
    static let signalsHour = Table(
        name: "event_signals_hour", size: hour, dimensions: [.clientIP, .category, .route], measures: Measure.allCases)
    /// The overview's first tables (created together by ``migration``).
    static let tables = [countsMinute, countsHour, ipsHour, routesHour]
    /// The per-minute top IP and route tables (created by ``minuteTopsMigration``).
    static let minuteTopTables = [ipsMinute, routesMinute]
    /// Every table ingest and retention maintain.
    static let allTables = tables + [signalsHour] + minuteTopTables

    /// Creates the overview's tables and fills them from the events already stored.
    static let migration = Migrations.Migration(
        version: 3, name: "event rollups for the overview",
        statements: tables.map(\.createSQL) + tables.map { $0.rebuildSQL(bounded: false) })

    /// Creates the signals table and fills it from the events already stored.
    static let signalsMigration = Migrations.Migration(
        version: 5, name: "event rollup for the signals page",
        statements: [signalsHour.createSQL, signalsHour.rebuildSQL(bounded: false)])

    /// Creates the per-minute IP and route tables (so that the overview's top lists, like its counts, read whole
    /// minutes from counters) and fills them from the events already stored. On SQLite the tables are WITHOUT
    /// ROWID, and the older counter tables are rebuilt as such.
    static let minuteTopsMigration = Migrations.Migration(
        version: 14, name: "per-minute IP and route counters",
        statements: minuteTopTables.map(\.createSQL) + minuteTopTables.map { $0.rebuildSQL(bounded: false) },
        sqliteStatements: minuteTopTables.map { $0.createSQL(named: $0.name, clustered: true) }
            + minuteTopTables.map { $0.rebuildSQL(bounded: false) } + (tables + [signalsHour]).flatMap(\.clusterSQL))

    /// The measures of one key, combined in memory before one upsert per key.
    struct Aggregate: Sendable, Hashable {
        var count: Int64 = 0
        var blocked: Int64 = 0
        var first = Int64.max
        var last = Int64.min

        mutating func add(occurredAt: Int64, blocked isBlocked: Bool) {
            count &+= 1
            if isBlocked { blocked &+= 1 }
            first = min(first, occurredAt)
            last = max(last, occurredAt)
        }

        func value(_ measure: Measure) -> Int64 {
            switch measure {
            case .count: count
            case .blockedCount: blocked
            case .firstSeen: first
            case .lastSeen: last
            }
        }
    }

    /// Counts of newly stored events, gathered in memory and added to the tables in a few statements: one upsert
    /// row per distinct key, however many events share it.
    struct Delta: Sendable {
        /// Per table of ``allTables``, in that order.
        private var aggregates: [[Table.Key: Aggregate]] = Array(repeating: [:], count: EventRollups.allTables.count)

        var isEmpty: Bool { aggregates.allSatisfy(\.isEmpty) }

        mutating func add(occurredAt: Int64, appID: String, environment: String, category: String, blocked: Bool, clientIP: String, route: String) {
            let blockedText = blocked ? "1" : "0"
            for (index, table) in EventRollups.allTables.enumerated() {
                let values = table.dimensions.map { dimension in
                    switch dimension {
                    case .category: category
                    case .blocked: blockedText
                    case .clientIP: clientIP
                    case .route: route
                    }
                }
                let key = Table.Key(slot: EventRollups.slotStart(occurredAt, size: table.size), appID: appID, environment: environment, values: values)
                aggregates[index][key, default: Aggregate()].add(occurredAt: occurredAt, blocked: blocked)
            }
        }

        /// Adds the counts with multi-row upserts (each key once per statement, as PostgreSQL requires; keys in a
        /// fixed order so concurrent transactions on PostgreSQL lock rows in the same order).
        func apply(_ executor: any SQLExecutor) async throws {
            for (table, tableAggregates) in zip(EventRollups.allTables, aggregates) where !tableAggregates.isEmpty {
                let rows = tableAggregates.sorted { $0.key < $1.key }
                let columnCount = table.keyColumns.count + table.measures.count
                // Statements of at most ~900 values, under SQLite's historical 999-parameter limit.
                let rowsPerStatement = max(1, 900 / columnCount)
                var start = 0
                while start < rows.count {
                    let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
                    start += chunk.count
                    var placeholders: [String] = []
                    var binds: [SQLValue] = []
                    binds.reserveCapacity(chunk.count * columnCount)
                    for (offset, (key, aggregate)) in chunk.enumerated() {
                        let base = offset * columnCount
                        placeholders.append("(" + (1...columnCount).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
                        binds += [.integer(key.slot), .text(key.appID), .text(key.environment)]
                        for (dimension, value) in zip(table.dimensions, key.values) {
                            binds.append(dimension == .blocked ? .integer(value == "1" ? 1 : 0) : .text(value))
                        }
                        for measure in table.measures { binds.append(.integer(aggregate.value(measure))) }
                    }
                    let updates = table.measures.map { "\($0.column) = \($0.mergeSQL(table: table.name))" }
                    try await executor.query(
                        """
                        INSERT INTO \(table.name) (\((table.keyColumns + table.measures.map(\.column)).joined(separator: ", ")))
                        VALUES \(placeholders.joined(separator: ", "))
                        ON CONFLICT (\(table.keyColumns.joined(separator: ", ")))
                        DO UPDATE SET \(updates.joined(separator: ", "))
                        """, binds)
                }
            }
        }
    }

    /// After events before `cutoff` were deleted: drops the slots wholly before it and recounts the slot that
    /// contains it, so the tables again equal a count of the events.
    static func trim(before cutoff: Int64, _ executor: any SQLExecutor) async throws {
        for table in allTables {
            let slot = slotStart(cutoff, size: table.size)
            let slotEnd = slot &+ table.size
            try await executor.query("DELETE FROM \(table.name) WHERE bucket_start < $1", [.integer(slotEnd)])
            try await executor.query(table.rebuildSQL(bounded: true), [.integer(slot), .integer(slotEnd)])
        }
    }

    /// Empties the tables and recounts them from all events (after a bulk load that bypassed ``Delta``).
    static func rebuild(_ executor: any SQLExecutor) async throws {
        for table in allTables {
            try await executor.query("DELETE FROM \(table.name)")
            try await executor.query(table.rebuildSQL(bounded: false))
        }
    }
}

extension EventRollups.Table {
    /// One counter of a table: slot, app, environment and the table's dimension values.
    struct Key: Hashable, Sendable, Comparable {
        var slot: Int64
        var appID: String
        var environment: String
        var values: [String]

        static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.slot != rhs.slot { return lhs.slot < rhs.slot }
            if lhs.appID != rhs.appID { return lhs.appID < rhs.appID }
            if lhs.environment != rhs.environment { return lhs.environment < rhs.environment }
            return lhs.values.lexicographicallyPrecedes(rhs.values)
        }
    }
}
