import Hummingbird
import NIOCore

/// A request body whose first chunks were already read (for inspection): yields them again, then the rest of the
/// original stream, then the stream's failure if reading it failed.
struct ReplayedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let prefix: [ByteBuffer]
    let rest: HandedOverIterator?
    let failure: (any Error)?

    struct AsyncIterator: AsyncIteratorProtocol {
        var prefix: IndexingIterator<[ByteBuffer]>
        let rest: HandedOverIterator?
        var failure: (any Error)?

        mutating func next() async throws -> ByteBuffer? {
            if let chunk = prefix.next() { return chunk }
            if let failure {
                self.failure = nil
                throw failure
            }
            return try await rest?.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(prefix: prefix.makeIterator(), rest: rest, failure: failure)
    }
}

/// The original body's iterator, handed from the middleware (which stopped reading) to the handler's body.
/// `@unchecked Sendable`: exactly one party reads it at a time — the middleware has finished with it before the
/// handler's body exists — and a request body is read once, so the iterator is never shared concurrently.
final class HandedOverIterator: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator

    init(_ iterator: RequestBody.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}
