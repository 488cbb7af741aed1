import Testing

@testable import Rampart

struct TestBatch: AcknowledgeableBatch, Equatable {
    var acknowledgementID: String
    var eventCount: Int
}

/// A deterministic generator (SplitMix64) so jitter bounds are checked on known draws.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Transport primitives")
struct TransportPrimitivesTests {
    @Test("back-off doubles up to the cap, jitter stays within [ceiling/2, ceiling]")
    func backoff() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2))
        #expect(backoff.ceiling(afterFailures: 1) == .milliseconds(100))
        #expect(backoff.ceiling(afterFailures: 2) == .milliseconds(200))
        #expect(backoff.ceiling(afterFailures: 5) == .milliseconds(1600))
        #expect(backoff.ceiling(afterFailures: 6) == .seconds(2))
        #expect(backoff.ceiling(afterFailures: 1000) == .seconds(2))
        var generator = SeededGenerator(state: 42)
        var delays: Set<Duration> = []
        for failures in 1...8 {
            for _ in 0..<50 {
                let delay = backoff.delay(afterFailures: failures, using: &generator)
                let ceiling = backoff.ceiling(afterFailures: failures)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
                delays.insert(delay)
            }
        }
        #expect(delays.count > 100)  // jittered, not a fixed schedule
    }

    @Test("pending batches: FIFO, acknowledgement by id, bounded with exact dropped counts")
    func pendingBatches() {
        var pending = PendingBatches<TestBatch>(capacity: 3)
        for index in 1...5 { pending.enqueue(TestBatch(acknowledgementID: "b\(index)", eventCount: index)) }
        #expect(pending.batches.map(\.acknowledgementID) == ["b3", "b4", "b5"])
        #expect(pending.droppedBatches == 2)
        #expect(pending.droppedEvents == 3)
        #expect(pending.nextToSend(limit: 2).map(\.acknowledgementID) == ["b3", "b4"])
        pending.acknowledge(["b4", "unknown"])
        #expect(pending.batches.map(\.acknowledgementID) == ["b3", "b5"])
        pending.acknowledge(["b3", "b5"])
        #expect(pending.isEmpty)
    }
}
