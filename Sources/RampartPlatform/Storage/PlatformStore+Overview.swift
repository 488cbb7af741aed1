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
        let sources = plan.sources()
        var rows: [SQLRow] = []
        rows += try await countRows(table: EventRollups.countsHour.name, timeColumn: "bucket_start", ranges: [sources.countHours], filter, sum: "event_count")
        rows += try await countRows(table: EventRollups.countsMinute.name, timeColumn: "bucket_start", ranges: sources.countMinutes, filter, sum: "event_count")
        rows += try await countRows(table: "events", timeColumn: "occurred_at", ranges: sources.events, filter, sum: nil)
        var data = Self.tally(rows, plan: plan)
        data.topIPs = try await topRows(
            column: "client_ip", tables: (EventRollups.ipsHour.name, EventRollups.ipsMinute.name), sources, filter)
        data.topRoutes = try await topRows(
            column: "route", tables: (EventRollups.routesHour.name, EventRollups.routesMinute.name), sources, filter)
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

    /// The ten largest counts of `column`: whole hours from the hourly table, the other whole minutes from the
    /// per-minute table, the seconds at the edges (none for a window of whole minutes) from the events.
    private func topRows(
        column: String, tables: (hour: String, minute: String), _ sources: OverviewPlan.Sources, _ filter: EventFilter
    ) async throws -> [OverviewData.Count] {
        var binds: [SQLValue] = []
        var parts: [String] = []
        for (table, ranges) in [(tables.hour, [sources.topHours]), (tables.minute, sources.topMinutes)] {
            let live = ranges.filter { $0.0 < $0.1 }
            guard !live.isEmpty else { continue }
            let range = Self.rangeCondition("bucket_start", live, &binds)
            let scope = Self.scopeCondition(filter, &binds)
            parts.append("SELECT \(column) AS label, event_count AS n FROM \(table) WHERE \(range)\(scope)")
        }
        let live = sources.events.filter { $0.0 < $0.1 }
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

    /// `(column >= $a AND column < $b) OR …` for each half-open range, binding the bounds (overview and signals).
    static func rangeCondition(_ column: String, _ ranges: [(Int64, Int64)], _ binds: inout [SQLValue]) -> String {
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

    /// Which source counts which part of the window, as `[start, end)` ranges (empty when start >= end).
    struct Sources {
        /// Whole hours for the chart and totals: only when chart buckets are whole hours, so none straddles them.
        var countHours: (Int64, Int64)
        var countMinutes: [(Int64, Int64)]
        /// Whole hours and the other whole minutes for the top IPs and routes, which have no buckets.
        var topHours: (Int64, Int64)
        var topMinutes: [(Int64, Int64)]
        /// The partial minutes at either edge: counted from the events.
        var events: [(Int64, Int64)]
    }

    func sources() -> Sources {
        let hours = wholeSlots(size: EventRollups.hour)
        let minutes = wholeSlots(size: EventRollups.minute)
        let countHours = bucketMillis % EventRollups.hour == 0 ? hours : (since, since)
        /// Whole minutes outside `covered` (whole hours), or all of them when it is empty.
        func minutesOutside(_ covered: (Int64, Int64)) -> [(Int64, Int64)] {
            covered.0 < covered.1 ? [(minutes.0, covered.0), (covered.1, minutes.1)] : [minutes]
        }
        let events = minutes.0 < minutes.1 ? [(since, minutes.0), (minutes.1, until)] : [(since, until)]
        return Sources(
            countHours: countHours, countMinutes: minutesOutside(countHours), topHours: hours, topMinutes: minutesOutside(hours),
            events: events)
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

extension EventFilter {
    /// The window widened to whole minutes (start floored, end rounded up), which the overview counts from its
    /// counters alone, without reading events: what the dashboard asks for.
    public func wholeMinutes() -> EventFilter {
        var aligned = self
        let minute = EventRollups.minute
        aligned.since = Timestamp.date(EventRollups.slotStart(Timestamp.milliseconds(since), size: minute))
        let until = Timestamp.milliseconds(self.until)
        let untilFloor = EventRollups.slotStart(until, size: minute)
        let (rounded, overflow) = untilFloor.addingReportingOverflow(minute)
        aligned.until = Timestamp.date(untilFloor == until || overflow ? until : rounded)
        return aligned
    }
}
