import Foundation

extension PlatformStore {
    /// What a retention pass deleted.
    public struct RetentionResult: Sendable, Hashable {
        public var events: Int
        public var batches: Int
    }

    /// Deletes events that occurred before `cutoff` and batch ids received before it, with expired sessions,
    /// old login failures and expired or removed blocklist entries. The overview's counters follow the events
    /// (see ``EventRollups/trim(before:_:)``).
    ///
    /// Batch ids are kept as long as events so that an agent retrying within the retention period is still
    /// de-duplicated.
    @discardableResult
    public func deleteData(olderThan cutoff: Date, now: Date = Date()) async throws -> RetentionResult {
        let cutoffMillis = Timestamp.milliseconds(cutoff)
        let nowMillis = Timestamp.milliseconds(now)
        return try await database.transaction { executor in
            let events = try await executor.query(
                "DELETE FROM events WHERE occurred_at < $1 RETURNING event_id", [.integer(cutoffMillis)]).count
            try await EventRollups.trim(before: cutoffMillis, executor)
            let batches = try await executor.query(
                "DELETE FROM event_batches WHERE received_at < $1 RETURNING batch_id", [.integer(cutoffMillis)]).count
            try await executor.query("DELETE FROM sessions WHERE expires_at < $1", [.integer(nowMillis)])
            try await executor.query("DELETE FROM login_failures WHERE failed_at < $1", [.integer(nowMillis - 86_400_000)])
            try await executor.query(
                "DELETE FROM blocklist WHERE expires_at IS NOT NULL AND expires_at < $1 AND removed_revision IS NULL AND created_at < $2",
                [.integer(nowMillis), .integer(cutoffMillis)])
            return RetentionResult(events: events, batches: batches)
        }
    }
}
