import CoreMetrics
import NIOConcurrencyHelpers

/// The agent's measurements, published through swift-metrics (whatever backend the app bootstrapped) and kept as
/// running totals for the platform heartbeat.
public final class RampartMetrics: Sendable {
    /// What a heartbeat reports: deltas since the previous snapshot, and the p99 WAF time over that interval.
    public struct Snapshot: Sendable, Hashable {
        public var requests = 0
        public var blocked = 0
        public var attacks = 0
        public var droppedEvents = 0
        public var wafTimeouts = 0
        public var wafP99Micros = 0
    }

    private struct State {
        var current = Snapshot()
        /// WAF times of the interval (bounded sample, for the percentile).
        var wafMicros: [Int] = []
        var seen = 0
        /// Picks reservoir slots. The system generator costs a `getrandom` system call per draw, which on every WAF
        /// run was a measurable share of Rampart's per-request overhead; sampling needs no cryptographic quality.
        var slotPicker = SplitMix64(seed: UInt64.random(in: .min ... .max))
    }

    /// SplitMix64 (Steele, Lea and Flood): a fast, well-distributed 64-bit generator for non-security uses.
    struct SplitMix64: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    private static let sampleCapacity = 2048

    private let requestsCounter = Counter(label: "rampart_requests_inspected_total")
    private let wafTimer = Timer(label: "rampart_waf_duration_seconds")
    private let timeoutsCounter = Counter(label: "rampart_waf_timeouts_total")
    private let attacksCounter = Counter(label: "rampart_attacks_total")
    private let droppedCounter = Counter(label: "rampart_events_dropped_total")
    private let blockCounters: [String: Counter]
    private let state = NIOLockedValueBox(State())

    /// Kinds of block counted separately (`rampart_blocks_total{type=...}`).
    public static let blockTypes = ["waf", "rasp", "blocklist_ip", "blocklist_user"]

    public init() {
        var counters: [String: Counter] = [:]
        for type in Self.blockTypes {
            counters[type] = Counter(label: "rampart_blocks_total", dimensions: [("type", type)])
        }
        blockCounters = counters
    }

    public func recordRequest() {
        requestsCounter.increment()
        state.withLockedValue { $0.current.requests &+= 1 }
    }

    public func recordWAFRun(duration: Duration, timedOut: Bool) {
        wafTimer.recordNanoseconds(Self.nanoseconds(duration))
        if timedOut { timeoutsCounter.increment() }
        let micros = Int(Self.nanoseconds(duration) / 1000)
        state.withLockedValue { state in
            if timedOut { state.current.wafTimeouts &+= 1 }
            state.seen &+= 1
            if state.wafMicros.count < Self.sampleCapacity {
                state.wafMicros.append(micros)
            } else {
                // Reservoir sampling keeps the percentile unbiased over long intervals with bounded memory.
                let slot = Int.random(in: 0..<max(state.seen, 1), using: &state.slotPicker)
                if slot < Self.sampleCapacity { state.wafMicros[slot] = micros }
            }
        }
    }

    public func recordAttack() {
        attacksCounter.increment()
        state.withLockedValue { $0.current.attacks &+= 1 }
    }

    public func recordBlock(type: String) {
        (blockCounters[type] ?? Counter(label: "rampart_blocks_total", dimensions: [("type", type)])).increment()
        state.withLockedValue { $0.current.blocked &+= 1 }
    }

    public func recordDroppedEvents(_ count: Int) {
        guard count > 0 else { return }
        droppedCounter.increment(by: count)
        state.withLockedValue { $0.current.droppedEvents &+= count }
    }

    /// Returns the counts since the previous call and starts a new interval.
    public func takeSnapshot() -> Snapshot {
        state.withLockedValue { state in
            var snapshot = state.current
            let sorted = state.wafMicros.sorted()
            if let last = sorted.indices.last {
                snapshot.wafP99Micros = sorted[min(last, (sorted.count * 99) / 100)]
            }
            state = State()
            return snapshot
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
