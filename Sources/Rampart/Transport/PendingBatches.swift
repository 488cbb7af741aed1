/// Something the transport sends and the platform acknowledges by id.
public protocol AcknowledgeableBatch: Sendable {
    /// Stable across resends, so the platform can store a batch once however often it arrives.
    var acknowledgementID: String { get }
    /// Events inside, for exact accounting of what was dropped.
    var eventCount: Int { get }
}

/// The FIFO of batches sent but not yet acknowledged. Bounded: when full, the oldest batch is dropped and its
/// events counted, so an unreachable platform costs a fixed amount of memory.
public struct PendingBatches<Batch: AcknowledgeableBatch>: Sendable {
    public let capacity: Int
    public private(set) var batches: [Batch] = []
    /// Events lost because their batch was pushed out before being acknowledged.
    public private(set) var droppedEvents = 0
    public private(set) var droppedBatches = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public mutating func enqueue(_ batch: Batch) {
        if batches.count >= capacity {
            let oldest = batches.removeFirst()
            droppedBatches &+= 1
            droppedEvents &+= oldest.eventCount
        }
        batches.append(batch)
    }

    /// The oldest batches first, at most `limit`: what the next attempt sends, in order.
    public func nextToSend(limit: Int) -> [Batch] {
        Array(batches.prefix(max(0, limit)))
    }

    /// Forgets the acknowledged batches (ids the platform confirmed storing); unknown ids are ignored.
    public mutating func acknowledge(_ ids: some Sequence<String>) {
        let acknowledged = Set(ids)
        guard !acknowledged.isEmpty else { return }
        batches.removeAll { acknowledged.contains($0.acknowledgementID) }
    }

    public var isEmpty: Bool { batches.isEmpty }
    public var count: Int { batches.count }
}
