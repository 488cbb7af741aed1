import Foundation

/// The overview page's numbers. Read from the counters in ``EventRollups`` so the cost depends on the window's
/// length, not on how many events it holds: whole hours come from the hourly tables, the minutes around them from
/// the per-minute table, and only the seconds at either edge of the window from the events themselves.
extension PlatformStore {
    public func overview(_ filter: EventFilter, bucketCount: Int = 48) async throws -> OverviewData {
        // The counters are kept per app and environment only; narrower filters count the events.
        if Self.nonEmpty(filter.clientIP) || Self.nonEmpty(filter.category) {
            return try await overviewCountingEvents(filter, bucketCount: bucketCount)
        }
        let plan = OverviewPlan(filter, bucketCount: bucketCount)
        guard plan.until > plan.since else { return plan.empty() }
        let hourTier = plan.bucketMillis % EventRollups.hour == 0
        let hours = plan.wholeSlots(size: EventRollups.hour)
        let countHours = hourTier ? hours : (plan.since, plan.since)
        let minutes = plan.wholeSlots(size: EventRollups.minute)
        // Minutes not covered by whole hours: before and after them (or all minutes when no hour is used).
        let minuteRanges =
            countHours.0 < countHours.1 ? [(minutes.0, countHours.0), (countHours.1, minutes.1)] : [minutes, (minutes.1, minutes.1)]
        let countEventRanges =
            minutes.0 < minutes.1 ? [(plan.since, minutes.0), (minutes.1, plan.until)] : [(plan.since, plan.until), (plan.until, plan.until)]

        var rows: [SQLRow] = []
        rows += try await countRows(table: EventRollups.countsHour.name, timeColumn: "bucket_start", ranges: [countHours], filter, sum: "event_count")
        rows += try await countRows(table: EventRollups.countsMinute.name, timeColumn: "bucket_start", ranges: minuteRanges, filter, sum: "event_count")
        rows += try await countRows(table: "events", timeColumn: "occurred_at", ranges: countEventRanges, filter, sum: nil)
        var data = Self.tally(rows, plan: plan)
        let topEventRanges = hours.0 < hours.1 ? [(plan.since, hours.0), (hours.1, plan.until)] : [(plan.since, plan.until), (plan.until, plan.until)]
        data.topIPs = try await topRows(column: "client_ip", table: EventRollups.ipsHour.name, hours: hours, eventRanges: topEventRanges, filter)
        data.topRoutes = try await topRows(column: "route", table: EventRollups.routesHour.name, hours: hours, eventRanges: topEventRanges, filter)
        return data
    }

    /// The same numbers counted from the events table: for filters the counters do not cover (client IP,
    /// category), and as the reference the counters are tested against.
    func overviewCountingEvents(_ filter: EventFilter, bucketCount: Int = 48) async throws -> OverviewData {
        let plan = OverviewPlan(filter, bucketCount: bucketCount)
        guard plan.until > plan.since else { return plan.empty() }
        let (whereSQL, binds) = Self.whereClause(filter)
        let rows = try await database.query(
            """
            SELECT occurred_at AS t, blocked, category, COUNT(*) AS n FROM events \(whereSQL)
            GROUP BY occurred_at, blocked, category
            """, binds)
        var data = Self.tally(rows, plan: plan)
        for (column, keyPath) in [("client_ip", \OverviewData.topIPs), ("route", \OverviewData.topRoutes)] {
            data[keyPath: keyPath] = try await database.query(
                "SELECT \(column) AS label, COUNT(*) AS n FROM events \(whereSQL) GROUP BY \(column) ORDER BY n DESC, label LIMIT 10",
                binds
            ).map { OverviewData.Count(label: $0.string("label") ?? "", count: $0.int("n") ?? 0) }
        }
        return data
    }

    /// Totals, blocked count, per-bucket and per-category counts from rows of (t, blocked, category, n): the same
    /// tally for rows read from the counters and rows counted from the events.
    private static func tally(_ rows: [SQLRow], plan: OverviewPlan) -> OverviewData {
        var data = plan.empty()
        var categories: [String: Int] = [:]
        for row in rows {
            let count = row.int("n") ?? 0
            let blocked = (row.int("blocked") ?? 0) != 0
            data.total &+= count
            if blocked { data.blocked &+= count }
            if let category = row.string("category") { categories[category, default: 0] &+= count }
            if let time = row.int("t"), let index = plan.bucketIndex(Int64(time)) {
                if blocked { data.buckets[index].blocked &+= count } else { data.buckets[index].monitored &+= count }
            }
        }
        data.topCategories = top(categories)
        return data
    }

    /// `(t, category, blocked, n)` rows from one source over time ranges `[start, end)`, within the app and
    /// environment of the filter.
    private func countRows(
        table: String, timeColumn: String, ranges: [(Int64, Int64)], _ filter: EventFilter, sum: String?
    ) async throws -> [SQLRow] {
        let live = ranges.filter { $0.0 < $0.1 }
        guard !live.isEmpty else { return [] }
        var binds: [SQLValue] = []
        let rangeSQL = Self.rangeCondition(timeColumn, live, &binds)
        let scope = Self.scopeCondition(filter, &binds)
        let count = sum.map { "CAST(SUM(\($0)) AS BIGINT)" } ?? "COUNT(*)"
        return try await database.query(
            """
            SELECT \(timeColumn) AS t, category, blocked, \(count) AS n FROM \(table)
            WHERE \(rangeSQL)\(scope) GROUP BY \(timeColumn), category, blocked
            """, binds)
    }

    /// The ten largest counts of `column`: whole hours from the hourly table, the rest from the events.
    private func topRows(
        column: String, table: String, hours: (Int64, Int64), eventRanges: [(Int64, Int64)], _ filter: EventFilter
    ) async throws -> [OverviewData.Count] {
        var binds: [SQLValue] = []
        var parts: [String] = []
        if hours.0 < hours.1 {
            let range = Self.rangeCondition("bucket_start", [hours], &binds)
            let scope = Self.scopeCondition(filter, &binds)
            parts.append("SELECT \(column) AS label, event_count AS n FROM \(table) WHERE \(range)\(scope)")
        }
        let live = eventRanges.filter { $0.0 < $0.1 }
        if !live.isEmpty {
            let range = Self.rangeCondition("occurred_at", live, &binds)
            let scope = Self.scopeCondition(filter, &binds)
            parts.append("SELECT \(column) AS label, COUNT(*) AS n FROM events WHERE \(range)\(scope) GROUP BY \(column)")
        }
        guard !parts.isEmpty else { return [] }
        return try await database.query(
            """
            SELECT label, CAST(SUM(n) AS BIGINT) AS total FROM (\(parts.joined(separator: " UNION ALL "))) AS combined
            GROUP BY label ORDER BY total DESC, label LIMIT 10
            """, binds
        ).map { OverviewData.Count(label: $0.string("label") ?? "", count: $0.int("total") ?? 0) }
    }

    private static func rangeCondition(_ column: String, _ ranges: [(Int64, Int64)], _ binds: inout [SQLValue]) -> String {
        let terms = ranges.map { range -> String in
            binds += [.integer(range.0), .integer(range.1)]
            return "(\(column) >= $\(binds.count - 1) AND \(column) < $\(binds.count))"
        }
        return "(" + terms.joined(separator: " OR ") + ")"
    }

    private static func scopeCondition(_ filter: EventFilter, _ binds: inout [SQLValue]) -> String {
        var sql = ""
        for (column, value) in [("app_id", filter.appID), ("environment", filter.environment)] {
            guard let value, !value.isEmpty else { continue }
            binds.append(.text(value))
            sql += " AND \(column) = $\(binds.count)"
        }
        return sql
    }

    private static func top(_ counts: [String: Int], limit: Int = 10) -> [OverviewData.Count] {
        counts.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(limit)
            .map { OverviewData.Count(label: $0.key, count: $0.value) }
    }

    private static func nonEmpty(_ text: String?) -> Bool {
        guard let text else { return false }
        return !text.isEmpty
    }
}

/// The time arithmetic of an overview: the window in milliseconds and chart buckets of a round size (1, 2, 5,
/// 10, 15 or 30 minutes, 1 to 24 hours, whole days) aligned to multiples of that size since the epoch, so that
/// hourly and per-minute counters never straddle two buckets.
struct OverviewPlan {
    var since: Int64
    var until: Int64
    var bucketMillis: Int64
    var firstBucket: Int64
    var bucketCount: Int

    init(_ filter: EventFilter, bucketCount wanted: Int) {
        since = Timestamp.milliseconds(filter.since)
        until = Timestamp.milliseconds(filter.until)
        let (difference, overflow) = until.subtractingReportingOverflow(since)
        let span = overflow ? Int64.max / 2 : max(1, difference)
        bucketMillis = Self.roundBucketSize(span / Int64(max(1, wanted)) + (span % Int64(max(1, wanted)) == 0 ? 0 : 1))
        firstBucket = EventRollups.slotStart(since, size: bucketMillis)
        let (covered, coveredOverflow) = until.subtractingReportingOverflow(firstBucket)
        let buckets = coveredOverflow ? 1 : max(1, covered / bucketMillis + (covered % bucketMillis == 0 ? 0 : 1))
        // Far more buckets than asked for only happens for absurd windows; the chart stays bounded.
        bucketCount = Int(min(buckets, Int64(max(1, wanted)) + 2))
    }

    static func roundBucketSize(_ wanted: Int64) -> Int64 {
        let minute: Int64 = 60_000, hour: Int64 = 3_600_000, day: Int64 = 86_400_000
        let steps = [1, 2, 5, 10, 15, 30].map { $0 * minute } + [1, 2, 3, 4, 6, 8, 12, 24].map { $0 * hour }
        if let step = steps.first(where: { $0 >= wanted }) { return step }
        let days = min(wanted / day + (wanted % day == 0 ? 0 : 1), Int64.max / day)
        return days * day
    }

    /// The whole slots of `size` inside the window, as `[start, end)`; empty (start == end) when there is none.
    func wholeSlots(size: Int64) -> (Int64, Int64) {
        let floorSince = EventRollups.slotStart(since, size: size)
        let start = floorSince == since ? since : floorSince &+ size
        let end = EventRollups.slotStart(until, size: size)
        return start < end ? (start, end) : (start, start)
    }

    func bucketIndex(_ millis: Int64) -> Int? {
        guard millis >= since, millis < until else { return nil }
        let index = (millis &- firstBucket) / bucketMillis
        return index >= 0 && index < Int64(bucketCount) ? Int(index) : nil
    }

    func empty() -> OverviewData {
        OverviewData(
            total: 0, blocked: 0,
            buckets: (0..<bucketCount).map { index in
                OverviewData.Bucket(start: Timestamp.date(firstBucket &+ Int64(index) &* bucketMillis), blocked: 0, monitored: 0)
            },
            bucketSeconds: Int(bucketMillis / 1000), topCategories: [], topIPs: [], topRoutes: [])
    }
}
