/// Delays between attempts while the platform is unreachable: exponential growth capped at `maximum`, with
/// "equal jitter" (half fixed, half random) so that many agents restarting together do not retry in lockstep
/// while the delay still grows with every failure.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        self.initial = max(initial, .milliseconds(1))
        self.maximum = max(maximum, self.initial)
    }

    /// The cap for the attempt after `failures` consecutive failures (1 → `initial`, doubling, up to `maximum`).
    public func ceiling(afterFailures failures: Int) -> Duration {
        var delay = initial
        var step = 1
        while step < failures, delay < maximum {
            delay = delay * 2
            step += 1
        }
        return min(delay, maximum)
    }

    /// A delay in [ceiling/2, ceiling].
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(afterFailures: failures)
        let half = ceiling / 2
        let jitterFraction = Double.random(in: 0...1, using: &generator)
        return half + half * jitterFraction
    }

    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }
}
