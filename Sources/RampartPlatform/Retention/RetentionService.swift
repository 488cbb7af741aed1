import Foundation
import Logging
import ServiceLifecycle

/// Deletes events older than the retention period: once at start, then every interval until shutdown.
public struct RetentionService: Service {
    let store: PlatformStore
    let retentionDays: Int
    let interval: Duration
    let logger: Logger

    public init(store: PlatformStore, retentionDays: Int, interval: Duration, logger: Logger) {
        self.store = store
        self.retentionDays = retentionDays
        self.interval = interval
        self.logger = logger
    }

    /// The first pass waits a little so that schema migrations (run as the server starts) come first.
    public func run() async throws {
        var delay = min(interval, .seconds(10))
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let pause = delay
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
            await runOnce()
            delay = interval
        }
    }

    /// One pass; failures are logged and retried at the next interval.
    public func runOnce(now: Date = Date()) async {
        let cutoff = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        do {
            let result = try await store.deleteData(olderThan: cutoff, now: now)
            if result.events > 0 || result.batches > 0 {
                logger.info("retention: deleted \(result.events) events and \(result.batches) batch ids older than \(retentionDays) days")
            }
        } catch {
            logger.error("retention pass failed: \(error)")
        }
    }
}
