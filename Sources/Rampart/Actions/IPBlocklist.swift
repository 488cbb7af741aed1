import Foundation
import NIOConcurrencyHelpers
import RampartWAF

/// Blocked client addresses and CIDR ranges with optional expiry, changed at runtime (by the app or platform
/// commands). An empty list costs one lock acquisition per request.
public final class IPBlocklist: Sendable {
    private struct Entry: Sendable {
        var range: IPSet
        var expiresAt: Date?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Blocks an address or CIDR range until `expiresAt` (nil = until unblocked). Returns false, changing
    /// nothing, when `value` is neither.
    @discardableResult
    public func block(_ value: String, until expiresAt: Date? = nil) -> Bool {
        let key = value.trimmingCharacters(in: .whitespaces)
        guard let range = try? IPSet([key]) else { return false }
        entries.withLockedValue { $0[key] = Entry(range: range, expiresAt: expiresAt) }
        return true
    }

    public func unblock(_ value: String) {
        let key = value.trimmingCharacters(in: .whitespaces)
        entries.withLockedValue { _ = $0.removeValue(forKey: key) }
    }

    public func isBlocked(_ address: String) -> Bool {
        let instant = now()
        return entries.withLockedValue { entries in
            guard !entries.isEmpty, let ip = IPAddress(address) else { return false }
            var blocked = false
            for (key, entry) in entries {
                if let expiresAt = entry.expiresAt, expiresAt <= instant {
                    entries.removeValue(forKey: key)
                } else if entry.range.contains(ip) {
                    blocked = true
                }
            }
            return blocked
        }
    }

    /// Entries in force with their expiry.
    public var activeEntries: [String: Date?] {
        let instant = now()
        return entries.withLockedValue { entries in
            entries = entries.filter { _, entry in entry.expiresAt.map { $0 > instant } ?? true }
            return entries.mapValues { $0.expiresAt }
        }
    }
}
