import AsyncHTTPClient
import Foundation
import Rampart
import RampartProtocol
import Testing
import Vapor

@testable import RampartVapor

/// A request body sent as separate chunks of unknown total length (`Transfer-Encoding: chunked`), with a pause
/// before each chunk so that Vapor dispatches the request while its body is still arriving (a real stream).
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let parts: [ByteBuffer]

    init(_ parts: [String]) { self.parts = parts.map { ByteBuffer(string: $0) } }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: IndexingIterator<[ByteBuffer]>
        mutating func next() async throws -> ByteBuffer? {
            try await Task.sleep(for: .milliseconds(20))
            return remaining.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: parts.makeIterator()) }
}

/// A live Vapor app with a collecting route that runs an SQL sink check on a body field, and a streaming route.
func withStreamingApp(agent: RampartAgent, _ body: (Int) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .critical
    app.middleware.use(RampartMiddleware(agent: agent))
    app.post("notes") { request async throws -> String in
        let text = try request.content.get(String.self, at: "text")
        try RASPCheck.sqlStatement("INSERT INTO notes (text) VALUES ('\(text)')", system: "sqlite")
        return "stored \(request.body.data?.readableBytes ?? 0) bytes"
    }
    app.post("comments") { request async throws -> String in "stored \(request.body.data?.readableBytes ?? 0) bytes" }
    app.on(.POST, "upload", body: .stream) { request async throws -> String in
        var total = 0
        for try await chunk in request.body { total += chunk.readableBytes }
        return "streamed \(total) bytes"
    }
    do {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        try await body(port)
    } catch {
        await app.server.shutdown()
        try await app.asyncShutdown()
        throw error
    }
    await app.server.shutdown()
    try await app.asyncShutdown()
}

func postChunked(port: Int, path: String, _ parts: [String]) async throws -> (UInt, String) {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(path)")
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
    request.body = .stream(Chunks(parts), length: .unknown)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (response.status.code, String(buffer: body))
}

@Suite("Vapor: streamed (chunked) request bodies on a real server", .serialized)
struct StreamedBodyTests {
    static let attackParts = ["text=%27%20UNION%20", "SELECT%20password%20", "FROM%20users%20--"]

    @Test("block mode: a chunked attack is caught once the route collected it (at the sink, or after the handler)")
    func blockMode() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withStreamingApp(agent: agent) { port in
            let (sink, _) = try await postChunked(port: port, path: "notes", Self.attackParts)
            #expect(sink == 403)
            let (plain, _) = try await postChunked(port: port, path: "comments", Self.attackParts)
            #expect(plain == 403)
            let benign = ["text=hello", "%20world"]
            let (status, text) = try await postChunked(port: port, path: "notes", benign)
            #expect(status == 200)
            #expect(text == "stored \(benign.joined().utf8.count) bytes")
        }
        #expect(collected.events.withLockedValue { $0.contains { $0.blocked && $0.kind == .waf } })
    }

    @Test("streaming routes keep their stream untouched")
    func streamingRoute() async throws {
        let (agent, _) = makeAgent(mode: .block)
        try await withStreamingApp(agent: agent) { port in
            let parts = Array(repeating: String(repeating: "b", count: 4096), count: 16)
            let (status, text) = try await postChunked(port: port, path: "upload", parts)
            #expect(status == 200)
            #expect(text == "streamed \(16 * 4096) bytes")
        }
    }

    @Test("monitor mode: a chunked attack is reported and served")
    func monitorMode() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await withStreamingApp(agent: agent) { port in
            let (status, _) = try await postChunked(port: port, path: "notes", Self.attackParts)
            #expect(status == 200)
        }
        #expect(collected.events.withLockedValue { $0.contains { !$0.blocked && $0.kind == .waf } })
    }
}
