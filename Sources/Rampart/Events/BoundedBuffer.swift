import NIOConcurrencyHelpers

/// A fixed-capacity FIFO shared between request handlers (producers) and exporters (consumers). When full, the
/// oldest element is dropped to make room and the drop is counted, so a slow or absent consumer never blocks a
/// request nor grows memory.
public final class BoundedBuffer<Element: Sendable>: Sendable {
    private struct State {
        var elements: [Element?]
        var head = 0
        var count = 0
        var dropped = 0
    }

    public let capacity: Int
    private let state: NIOLockedValueBox<State>

    /// `capacity` below 1 is raised to 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = NIOLockedValueBox(State(elements: Array(repeating: nil, count: max(1, capacity))))
    }

    /// Appends `element`; returns the element dropped to make room, if any.
    @discardableResult
    public func append(_ element: Element) -> Element? {
        state.withLockedValue { state in
            let capacity = state.elements.count
            if state.count == capacity {
                let oldest = state.elements[state.head]
                state.elements[state.head] = element
                state.head = (state.head + 1) % capacity
                state.dropped &+= 1
                return oldest
            }
            state.elements[(state.head + state.count) % capacity] = element
            state.count += 1
            return nil
        }
    }

    /// Removes and returns up to `limit` elements, oldest first.
    public func drain(limit: Int = .max) -> [Element] {
        state.withLockedValue { state in
            let capacity = state.elements.count
            let taken = min(state.count, max(0, limit))
            var result: [Element] = []
            result.reserveCapacity(taken)
            for _ in 0..<taken {
                if let element = state.elements[state.head] { result.append(element) }
                state.elements[state.head] = nil
                state.head = (state.head + 1) % capacity
                state.count -= 1
            }
            return result
        }
    }

    public var count: Int { state.withLockedValue { $0.count } }

    /// Elements dropped since creation because the buffer was full.
    public var droppedCount: Int { state.withLockedValue { $0.dropped } }
}
