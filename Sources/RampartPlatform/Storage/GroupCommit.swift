import Synchronization

/// Bodies waiting for ``SQLiteDatabase/groupedTransaction(_:)``. SQLite has one writer and each COMMIT writes
/// every page the transaction touched to the WAL, so N heartbeats arriving together are cheaper as one
/// transaction than as N. The first caller to get the connection's lock takes every body queued by then and runs
/// them in one transaction, each in its own savepoint (a body that throws undoes only its own changes); callers
/// are answered only after COMMIT, so an acknowledgement still means "durably stored".
final class GroupCommitQueue: Sendable {
    private let pending = Mutex<[any GroupCommitWork]>([])

    func enqueue(_ work: any GroupCommitWork) {
        pending.withLock { $0.append(work) }
    }

    func takeAll() -> [any GroupCommitWork] {
        pending.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}

/// One queued body, type-erased so bodies of different result types share a transaction.
protocol GroupCommitWork: AnyObject, Sendable {
    /// True once the transaction that ran the body committed or failed.
    var isFinished: Bool { get }
    /// Runs the body in the open transaction and keeps its outcome until ``finish(commitError:)``; false when it threw.
    func run(_ executor: any SQLExecutor) async -> Bool
    /// Marks the body failed without running it (its savepoint could not be opened).
    func fail(_ error: any Error)
    /// Publishes the outcome: the body's own, or `commitError` when the transaction did not commit.
    func finish(commitError: (any Error)?)
}

final class GroupCommitJob<Result: Sendable>: GroupCommitWork {
    private enum State {
        case waiting
        case ran(Swift.Result<Result, any Error>)
        case finished(Swift.Result<Result, any Error>)
    }

    private let body: @Sendable (any SQLExecutor) async throws -> Result
    private let state = Mutex<State>(.waiting)

    init(_ body: @escaping @Sendable (any SQLExecutor) async throws -> Result) {
        self.body = body
    }

    var isFinished: Bool {
        state.withLock { if case .finished = $0 { true } else { false } }
    }

    func run(_ executor: any SQLExecutor) async -> Bool {
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await body(executor))
        } catch {
            outcome = .failure(error)
        }
        state.withLock { $0 = .ran(outcome) }
        if case .success = outcome { return true }
        return false
    }

    func fail(_ error: any Error) {
        state.withLock { $0 = .ran(.failure(error)) }
    }

    func finish(commitError: (any Error)?) {
        state.withLock { state in
            switch state {
            case .ran(let outcome):
                if let commitError, case .success = outcome {
                    state = .finished(.failure(commitError))
                } else {
                    state = .finished(outcome)
                }
            case .waiting:
                state = .finished(.failure(commitError ?? StorageError("the grouped transaction ended before this write ran")))
            case .finished:
                break
            }
        }
    }

    /// The published outcome; only called after ``isFinished``.
    func result() throws -> Result {
        let outcome: Swift.Result<Result, any Error> = state.withLock { state in
            if case .finished(let outcome) = state { return outcome }
            return .failure(StorageError("a grouped write was read before its transaction ended"))
        }
        return try outcome.get()
    }
}
