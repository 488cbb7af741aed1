#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings an address scan found nothing in, remembered per `WAF` so that repeated ordinary values — the same
/// User-Agent, Accept and Accept-Language headers, session cookies, common parameter values on every request —
/// are not transformed and scanned again.
///
/// Only verdicts that cannot change are kept: a string is recorded when every condition of the scan was
/// evaluated on it and none matched (an immutable ruleset; `rules_data` expirations only ever turn a match into a
/// non-match). Entries hold the exact bytes and a lookup compares them, so a hash collision cannot hide a value.
/// Memory is bounded: each shard is cleared when full. A new ruleset (`WAF.updating`) starts with an empty cache.
final class CleanValueCache: Sendable {
    /// Longer strings are rarely repeated and are not kept.
    static let maxValueLength = 512

    private struct Entry {
        let scan: Int
        let bytes: [UInt8]
    }

    private let shards: [Locked<[Int: Entry]>]
    private let shardCapacity: Int

    /// Nil when `capacity` is zero (caching disabled).
    init?(capacity: Int) {
        guard capacity > 0 else { return nil }
        let shardCount = 16
        shards = (0..<shardCount).map { _ in Locked([:]) }
        shardCapacity = max(1, capacity / shardCount)
    }

    /// Whether `bytes` was recorded clean for address scan `scan`.
    func containsClean(scan: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= Self.maxValueLength else { return false }
        let key = Self.key(scan: scan, bytes)
        return shard(for: key).withLock { entries in
            guard let entry = entries[key], entry.scan == scan, entry.bytes.count == bytes.count else { return false }
            return entry.bytes.withUnsafeBytes { stored in
                guard let storedBase = stored.baseAddress, let base = bytes.baseAddress else { return bytes.isEmpty }
                return memcmp(storedBase, base, bytes.count) == 0
            }
        }
    }

    /// Records that no condition of address scan `scan` matches `bytes`.
    func recordClean(scan: Int, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= Self.maxValueLength else { return }
        let key = Self.key(scan: scan, bytes)
        let entry = Entry(scan: scan, bytes: Array(bytes))
        shard(for: key).withLock { entries in
            if entries.count >= shardCapacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }

    /// Strings currently remembered.
    var count: Int { shards.reduce(0) { total, shard in total + shard.withLock { $0.count } } }

    private func shard(for key: Int) -> Locked<[Int: Entry]> {
        shards[Int(UInt(bitPattern: key) % UInt(shards.count))]
    }

    /// Swift's per-process seeded hash, so which values share a slot cannot be predicted from outside.
    private static func key(scan: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(scan)
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }
}
