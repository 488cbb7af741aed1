import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Rampart
import RampartProtocol
import Testing

@testable import RampartHummingbird

/// A request body sent as separate chunks of unknown total length (`Transfer-Encoding: chunked`).
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let parts: [ByteBuffer]

    init(_ parts: [String]) { self.parts = parts.map { ByteBuffer(string: $0) } }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: IndexingIterator<[ByteBuffer]>
        mutating func next() async -> ByteBuffer? { remaining.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: parts.makeIterator()) }
}

func makeAgent(mode: ProtectionMode, bodyLimit: Int) -> (RampartAgent, Collected) {
    var configuration = RampartConfiguration()
    configuration.mode = mode
    configuration.bodyLimit = bodyLimit
    configuration.wafBudget = .milliseconds(100)
    var logger = Logger(label: "rampart-hummingbird-chunked-test")
    logger.logLevel = .critical
    let collected = Collected()
    return (
        RampartAgent(configuration: configuration, logger: logger, rulesetJSON: agentTestRuleset, exporters: [collected]),
        collected
    )
}

/// POSTs `parts` as a chunked form body to the live app; returns the status and the response text.
func postChunked(port: Int, _ parts: [String]) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/comments")
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
    request.body = .stream(Chunks(parts), length: .unknown)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: body))
}

@Suite("Chunked request bodies on a real Hummingbird server")
struct ChunkedBodyTests {
    static let attack = "text=%27%20UNION%20SELECT%20password%20FROM%20users%20--"

    @Test("block mode: an attack in a chunked body gets 403; a benign chunked body reaches the handler whole")
    func smallChunkedBodies() async throws {
        let (agent, collected) = makeAgent(mode: .block, bodyLimit: 64 * 1024)
        try await makeApp(agent: agent).test(.live) { client in
            let port = try #require(client.port)
            let parts = ["text=%27%20UNION%20", "SELECT%20password%20", "FROM%20users%20--"]
            let (status, _) = try await postChunked(port: port, parts)
            #expect(status == 403)

            let benign = ["text=hello", "%20world&", "author=ann"]
            let (okStatus, text) = try await postChunked(port: port, benign)
            #expect(okStatus == 200)
            #expect(text == "stored \(benign.joined().utf8.count) bytes")
        }
        #expect(collected.events.withLockedValue { $0.contains { $0.blocked && $0.kind == .waf } })
    }

    @Test("beyond the limit: the prefix is inspected, the rest streams through untouched to the handler")
    func longChunkedBodies() async throws {
        let limit = 1024
        let (agent, _) = makeAgent(mode: .block, bodyLimit: limit)
        try await makeApp(agent: agent).test(.live) { client in
            let port = try #require(client.port)
            let filler = Array(repeating: "&note=" + String(repeating: "a", count: 994), count: 200)

            // An attack within the first `limit` bytes of a long stream is caught.
            let (blocked, _) = try await postChunked(port: port, [Self.attack] + filler)
            #expect(blocked == 403)

            // A long benign stream (about 200 KB, 200 times the limit) arrives whole: prefix replayed, rest passed on.
            let benign = ["text=ok"] + filler
            let (status, text) = try await postChunked(port: port, benign)
            #expect(status == 200)
            #expect(text == "stored \(benign.joined().utf8.count) bytes")

            // Past the limit nothing is inspected (documented): the request is served.
            let (late, _) = try await postChunked(port: port, ["text=ok"] + filler + ["&" + Self.attack])
            #expect(late == 200)
        }
    }

    @Test("monitor mode: a chunked attack is reported and served")
    func monitorMode() async throws {
        let (agent, collected) = makeAgent(mode: .monitor, bodyLimit: 64 * 1024)
        try await makeApp(agent: agent).test(.live) { client in
            let port = try #require(client.port)
            let (status, text) = try await postChunked(port: port, ["text=%27%20UNION%20", "SELECT%20password%20FROM%20users%20--"])
            #expect(status == 200)
            #expect(text.hasPrefix("stored"))
        }
        #expect(collected.events.withLockedValue { $0.contains { !$0.blocked && $0.kind == .waf } })
    }
}
