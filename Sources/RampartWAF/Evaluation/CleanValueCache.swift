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
///
/// A direct-mapped table (a slot per hash, a newer entry replaces an older one): one hash and one comparison per
/// lookup, memory bounded by the slot count. The hash is seeded per process; which values share a slot only
/// decides what is evicted, never what matches. A new ruleset (`WAF.updating`) starts with an empty cache.
final class CleanValueCache: Sendable {
    /// Longer strings are rarely repeated and are not kept.
    static let maxValueLength = 512
    private static let shardCount = 16

    private struct Entry {
        let hash: UInt64
        let scan: Int
        let bytes: [UInt8]
    }

    /// Each shard's slots; lookups on different shards do not contend.
    private let shards: [Locked<[Entry?]>]
    private let slotMask: UInt64
    private let seed: UInt64

    /// Nil when `capacity` is zero (caching disabled). Holds at most `capacity` strings (at least one per shard).
    init?(capacity: Int) {
        guard capacity > 0 else { return nil }
        var slotsPerShard = 1
        while slotsPerShard * 2 <= capacity / Self.shardCount { slotsPerShard *= 2 }
        shards = (0..<Self.shardCount).map { _ in Locked(Array(repeating: nil, count: slotsPerShard)) }
        slotMask = UInt64(slotsPerShard - 1)
        seed = UInt64.random(in: .min ... .max)
    }

    /// Whether `bytes` was recorded clean for address scan `scan`.
    func containsClean(scan: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= Self.maxValueLength else { return false }
        let hash = Self.hash(seed: seed, scan: scan, bytes)
        let slot = Int(truncatingIfNeeded: (hash >> 8) & slotMask)
        return shards[Int(truncatingIfNeeded: hash & UInt64(Self.shardCount - 1))].withLock { slots in
            guard let entry = slots[slot], entry.hash == hash, entry.scan == scan, entry.bytes.count == bytes.count
            else { return false }
            return entry.bytes.withUnsafeBytes { stored in
                guard let storedBase = stored.baseAddress, let base = bytes.baseAddress else { return bytes.isEmpty }
                return memcmp(storedBase, base, bytes.count) == 0
            }
        }
    }

    /// Records that no condition of address scan `scan` matches `bytes`.
    func recordClean(scan: Int, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= Self.maxValueLength else { return }
        let hash = Self.hash(seed: seed, scan: scan, bytes)
        let slot = Int(truncatingIfNeeded: (hash >> 8) & slotMask)
        let entry = Entry(hash: hash, scan: scan, bytes: Array(bytes))
        shards[Int(truncatingIfNeeded: hash & UInt64(Self.shardCount - 1))].withLock { slots in slots[slot] = entry }
    }

    /// Strings currently remembered.
    var count: Int {
        shards.reduce(0) { total, shard in total + shard.withLock { slots in slots.count(where: { $0 != nil }) } }
    }

    /// A seeded multiply-xorshift hash over 8-byte words: several times cheaper than SipHash on short strings,
    /// which is what most lookups are (header values, parameter names and values).
    private static func hash(seed: UInt64, scan: Int, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = seed ^ UInt64(truncatingIfNeeded: bytes.count) ^ (UInt64(truncatingIfNeeded: scan) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        let count = bytes.count
        while offset &+ 8 <= count {
            state = mix(state ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) << shift
            shift &+= 8
            offset &+= 1
        }
        return mix(state ^ tail ^ 0xA5)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 31
        mixed = mixed &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 29
        return mixed
    }
}
