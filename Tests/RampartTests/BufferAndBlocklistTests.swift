import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Rampart

@Suite("Event buffer and blocklists")
struct BufferAndBlocklistTests {
    @Test("a full buffer drops the oldest and counts every drop")
    func overflow() {
        let buffer = BoundedBuffer<Int>(capacity: 3)
        for value in 1...10 { buffer.append(value) }
        #expect(buffer.droppedCount == 7)
        #expect(buffer.drain() == [8, 9, 10])
        #expect(buffer.count == 0)
        buffer.append(11)
        #expect(buffer.drain(limit: 5) == [11])
        #expect(buffer.droppedCount == 7)
    }

    @Test("concurrent producers: kept + dropped = produced")
    func concurrentProducers() async {
        let buffer = BoundedBuffer<Int>(capacity: 100)
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<8 {
                group.addTask {
                    for value in 0..<1000 { buffer.append(producer * 1000 + value) }
                }
            }
        }
        #expect(buffer.count == 100)
        #expect(buffer.droppedCount == 7900)
    }

    @Test("blocklist entries expire")
    func expiry() {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1000))
        let users = Blocklist<String>(now: { clock.withLockedValue { $0 } })
        users.block("mallory", until: Date(timeIntervalSince1970: 1060))
        users.block("eve")
        #expect(users.isBlocked("mallory"))
        #expect(users.isBlocked("eve"))
        #expect(!users.isBlocked("alice"))
        clock.withLockedValue { $0 = Date(timeIntervalSince1970: 1061) }
        #expect(!users.isBlocked("mallory"))
        #expect(users.isBlocked("eve"))
        users.unblock("eve")
        #expect(users.isEmpty)
    }
}
