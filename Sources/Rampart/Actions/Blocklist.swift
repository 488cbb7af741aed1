import Foundation
import NIOConcurrencyHelpers

/// A set of blocked values (user ids, IP addresses) with optional expiry, changed at runtime from any thread
/// (by the app or by platform commands) and read on every request.
public final class Blocklist<Value: Hashable & Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[Value: Date?]>([:])
    private let now: @Sendable () -> Date

    /// `now` is injectable so expiry can be tested without waiting.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Blocks `value` until `expiresAt` (nil = until unblocked). Re-blocking replaces the expiry.
    public func block(_ value: Value, until expiresAt: Date? = nil) {
        entries.withLockedValue { $0[value] = .some(expiresAt) }
    }

    public func unblock(_ value: Value) {
        entries.withLockedValue { _ = $0.removeValue(forKey: value) }
    }

    /// Replaces the whole list (a platform snapshot).
    public func replaceAll(with newEntries: [Value: Date?]) {
        entries.withLockedValue { $0 = newEntries }
    }

    /// True when `value` is blocked now; expired entries are removed as they are met.
    public func isBlocked(_ value: Value) -> Bool {
        let instant = now()
        return entries.withLockedValue { entries in
            guard let expiry = entries[value] else { return false }
            if let expiresAt = expiry, expiresAt <= instant {
                entries.removeValue(forKey: value)
                return false
            }
            return true
        }
    }

    /// Entries still in force, with their expiry.
    public var activeEntries: [Value: Date?] {
        let instant = now()
        return entries.withLockedValue { entries in
            entries = entries.filter { _, expiry in expiry.map { $0 > instant } ?? true }
            return entries
        }
    }

    public var isEmpty: Bool { activeEntries.isEmpty }
}
