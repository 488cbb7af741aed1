import NIOConcurrencyHelpers

/// Recognises scanners by what they do rather than by what they claim to be: a client probing for files, admin
/// pages and backups gets a burst of 404 responses, whatever its user agent says. Counts 404s per client IP in a
/// fixed window and reports a client once per window when it reaches the threshold. Memory is bounded by
/// `capacity` tracked clients.
public final class NotFoundBurstDetector: Sendable {
    /// 404s that make a burst (0 disables the detector).
    public let threshold: Int
    /// How long a client's count lasts, from its first 404.
    public let window: Duration
    /// Most clients tracked at once; past it, expired windows are dropped first, then the oldest window.
    public let capacity: Int

    private struct Window {
        var start: ContinuousClock.Instant
        var count: Int
        var reported: Bool
    }

    private let windows = NIOLockedValueBox<[String: Window]>([:])

    public init(threshold: Int, window: Duration, capacity: Int = 10_000) {
        self.threshold = max(0, threshold)
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// Number of clients currently tracked.
    public var trackedClients: Int { windows.withLockedValue { $0.count } }

    /// Counts one 404 for `clientIP`; returns the window's count when this 404 completes a burst (once per window
    /// and client), nil otherwise.
    public func recordNotFound(clientIP: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard threshold > 0, !clientIP.isEmpty else { return nil }
        let window = self.window
        let threshold = self.threshold
        let capacity = self.capacity
        return windows.withLockedValue { windows -> Int? in
            if var current = windows[clientIP], now - current.start < window {
                current.count = current.count &+ 1
                let completes = !current.reported && current.count >= threshold
                if completes { current.reported = true }
                windows[clientIP] = current
                return completes ? current.count : nil
            }
            if windows[clientIP] == nil, windows.count >= capacity {
                Self.makeRoom(in: &windows, now: now, window: window, capacity: capacity)
            }
            let completes = threshold <= 1
            windows[clientIP] = Window(start: now, count: 1, reported: completes)
            return completes ? 1 : nil
        }
    }

    /// Drops expired windows, then the oldest ones down to three quarters of `capacity` (their clients are counted
    /// anew), so a flood of new addresses costs one pass per `capacity / 4` of them, not one pass each.
    private static func makeRoom(
        in windows: inout [String: Window], now: ContinuousClock.Instant, window: Duration, capacity: Int
    ) {
        windows = windows.filter { now - $0.value.start < window }
        let target = capacity - capacity / 4 - 1
        guard windows.count > target else { return }
        let oldest = windows.sorted { $0.value.start < $1.value.start }.prefix(windows.count - max(0, target))
        for (clientIP, _) in oldest { windows[clientIP] = nil }
    }
}
