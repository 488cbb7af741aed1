import Foundation

/// The signals page: events grouped by attacker IP and category over a window. Read from the hourly rollup
/// `event_signals_hour` (see ``EventRollups``) for the window's whole hours and from the events (through the
/// covering `events_dashboard` index) only for the partial hours at its edges, so the cost grows with the number of
/// distinct (IP, category, route) per hour in the window and with the events of at most two partial hours, not with
/// all the events in the window.
extension PlatformStore {
    /// Groups by attacker IP and category, most active first (then most recent), with their five most targeted
    /// routes and the latest event.
    public func signals(_ filter: EventFilter, limit: Int = 200) async throws -> [SignalGroup] {
        let plan = OverviewPlan(filter, bucketCount: 1)
        guard plan.until > plan.since else { return [] }
        let hours = plan.wholeSlots(size: EventRollups.hour)
        let edges = hours.0 < hours.1 ? [(plan.since, hours.0), (hours.1, plan.until)] : [(plan.since, plan.until)]
        var binds: [SQLValue] = []
        var parts: [String] = []
        if hours.0 < hours.1 {
            let range = Self.rangeCondition("bucket_start", [hours], &binds)
            let scope = Self.signalScope(filter, &binds)
            parts.append(
                """
                SELECT client_ip, category, route, event_count AS n, blocked_count AS b, first_seen AS f, last_seen AS l
                FROM \(EventRollups.signalsHour.name) WHERE \(range)\(scope)
                """)
        }
        let liveEdges = edges.filter { $0.0 < $0.1 }
        if !liveEdges.isEmpty {
            let range = Self.rangeCondition("occurred_at", liveEdges, &binds)
            let scope = Self.signalScope(filter, &binds)
            parts.append(
                """
                SELECT client_ip, category, route, COUNT(*) AS n, CAST(SUM(blocked) AS BIGINT) AS b, MIN(occurred_at) AS f,
                    MAX(occurred_at) AS l
                FROM events WHERE \(range)\(scope) GROUP BY client_ip, category, route
                """)
        }
        let rows = try await database.query(
            """
            SELECT client_ip, category, route, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(b) AS BIGINT) AS b, MIN(f) AS f, MAX(l) AS l
            FROM (\(parts.joined(separator: " UNION ALL "))) AS parts GROUP BY client_ip, category, route
            """, binds)
        return try await groups(rows.map(SignalRouteRow.init), filter: filter, limit: limit)
    }

    /// The same groups counted from the events table alone: the reference the rollup is tested against.
    func signalsCountingEvents(_ filter: EventFilter, limit: Int = 200) async throws -> [SignalGroup] {
        guard filter.until > filter.since else { return [] }
        let (whereSQL, binds) = Self.whereClause(filter)
        let rows = try await database.query(
            """
            SELECT client_ip, category, route, COUNT(*) AS n, CAST(SUM(blocked) AS BIGINT) AS b, MIN(occurred_at) AS f,
                MAX(occurred_at) AS l
            FROM events \(whereSQL) GROUP BY client_ip, category, route
            """, binds)
        return try await groups(rows.map(SignalRouteRow.init), filter: filter, limit: limit)
    }

    /// Per (IP, category, route) totals of the window.
    struct SignalRouteRow {
        var clientIP: String
        var category: String
        var route: String
        var count: Int
        var blocked: Int
        var first: Int64
        var last: Int64

        init(_ row: SQLRow) {
            clientIP = row.string("client_ip") ?? ""
            category = row.string("category") ?? ""
            route = row.string("route") ?? ""
            count = row.int("n") ?? 0
            blocked = row.int("b") ?? 0
            first = Int64(row.int("f") ?? 0)
            last = Int64(row.int("l") ?? 0)
        }
    }

    /// Combines route rows into groups, keeps the `limit` largest and finds each one's latest event by the
    /// (client_ip, occurred_at) index: the event at the group's last occurrence.
    private func groups(_ rows: [SignalRouteRow], filter: EventFilter, limit: Int) async throws -> [SignalGroup] {
        struct Key: Hashable {
            var clientIP: String
            var category: String
        }
        var totals: [Key: (count: Int, blocked: Int, first: Int64, last: Int64, routes: [(String, Int)])] = [:]
        for row in rows where row.count > 0 {
            let key = Key(clientIP: row.clientIP, category: row.category)
            var total = totals[key] ?? (0, 0, Int64.max, Int64.min, [])
            total.count &+= row.count
            total.blocked &+= row.blocked
            total.first = min(total.first, row.first)
            total.last = max(total.last, row.last)
            total.routes.append((row.route, row.count))
            totals[key] = total
        }
        let chosen = totals.sorted { lhs, rhs in
            if lhs.value.count != rhs.value.count { return lhs.value.count > rhs.value.count }
            if lhs.value.last != rhs.value.last { return lhs.value.last > rhs.value.last }
            return (lhs.key.clientIP, lhs.key.category) < (rhs.key.clientIP, rhs.key.category)
        }.prefix(max(1, min(limit, 1000)))
        var result: [SignalGroup] = []
        for (key, total) in chosen {
            var binds: [SQLValue] = [.text(key.clientIP), .integer(total.last), .text(key.category)]
            let scope = Self.signalScope(EventFilter(since: filter.since, until: filter.until, appID: filter.appID, environment: filter.environment), &binds)
            let latest = try await database.query(
                "SELECT event_id FROM events WHERE client_ip = $1 AND occurred_at = $2 AND category = $3\(scope) ORDER BY event_id LIMIT 1",
                binds
            ).first?.string("event_id") ?? ""
            let routes = total.routes.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(5).map(\.0)
            result.append(
                SignalGroup(
                    clientIP: key.clientIP, category: key.category, count: total.count, blocked: total.blocked,
                    firstSeen: Timestamp.date(total.first), lastSeen: Timestamp.date(total.last), latestEventID: latest,
                    routes: Array(routes)))
        }
        return result
    }

    /// ` AND column = $n` for each of the filter's app, environment, client IP and category that is set.
    private static func signalScope(_ filter: EventFilter, _ binds: inout [SQLValue]) -> String {
        var sql = ""
        for (column, value) in [("app_id", filter.appID), ("environment", filter.environment), ("client_ip", filter.clientIP), ("category", filter.category)] {
            guard let value, !value.isEmpty else { continue }
            binds.append(.text(value))
            sql += " AND \(column) = $\(binds.count)"
        }
        return sql
    }
}
