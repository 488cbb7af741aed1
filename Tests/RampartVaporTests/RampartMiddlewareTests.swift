import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol
import Testing
import Vapor
import VaporTesting

@testable import RampartVapor

final class Collected: SecurityEventExporter, Sendable {
    let events = NIOLockedValueBox<[SecurityEvent]>([])
    func export(_ event: SecurityEvent) { events.withLockedValue { $0.append(event) } }
}

func makeAgent(mode: ProtectionMode, trustedProxies: [String] = []) -> (RampartAgent, Collected) {
    var configuration = RampartConfiguration()
    configuration.mode = mode
    configuration.trustedProxies = trustedProxies
    configuration.wafBudget = .milliseconds(100)
    var logger = Logger(label: "rampart-vapor-test")
    logger.logLevel = .critical
    let collected = Collected()
    return (RampartAgent(configuration: configuration, logger: logger, exporters: [collected]), collected)
}

/// A response from the live server.
struct LiveResponse {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// Sends requests to the live server with a generous deadline (CI machines run many suites at once).
struct LiveClient: Sendable {
    let port: Int

    func test(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        afterResponse: (LiveResponse) async throws -> Void
    ) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(path)")
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        try await afterResponse(LiveResponse(status: response.status, headers: response.headers, body: bytes))
    }
}

/// Runs a real Vapor server on 127.0.0.1 (a free port) with the middleware installed the documented way.
func withProtectedApp(
    agent: RampartAgent, securityHeaders: SecurityHeaders? = nil,
    _ body: (LiveClient) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .critical
    app.middleware.use(RampartMiddleware(agent: agent, securityHeaders: securityHeaders))
    app.get("search") { request in "results for \(request.query[String.self, at: "q"] ?? "")" }
    app.get("users", ":id") { request in "user \(request.parameters.get("id") ?? "")" }
    app.post("comments") { request in "stored \(request.body.data?.readableBytes ?? 0) bytes" }
    // Async handlers run inside the request's task, where the security context is bound.
    app.get("login", ":user") { request async throws -> String in
        try Rampart.setUser(id: request.parameters.get("user") ?? "")
        return "welcome"
    }
    app.get("whoami") { request in request.rampart?.clientIP ?? "none" }
    do {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        try await body(LiveClient(port: port))
    } catch {
        await app.server.shutdown()
        try await app.asyncShutdown()
        throw error
    }
    await app.server.shutdown()
    try await app.asyncShutdown()
}

@Suite("Vapor middleware on a real server", .serialized)
struct RampartMiddlewareTests {
    @Test("block mode: attacks get 403 JSON (or HTML for browsers), benign requests pass")
    func blockMode() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        try await withProtectedApp(agent: agent) { app in
            try await app.test(.GET, "search?q=1%27%20OR%201%3D1%20--") { response in
                #expect(response.status == .forbidden)
                #expect(response.headers.contentType == .json)
                #expect(response.body.string.contains("security_response_id"))
            }
            try await app.test(.GET, "search?q=%3Cscript%3Ealert(1)%3C/script%3E", headers: ["Accept": "text/html"]) {
                response in
                #expect(response.status == .forbidden)
                #expect(response.body.string.contains("<html"))
            }
            try await app.test(.GET, "search?q=swift%20server") { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "results for swift server")
            }
            try await app.test(.GET, "users/..%2F..%2Fetc%2Fpasswd") { response in
                #expect(response.status == .forbidden)
            }
            try await app.test(.GET, "users/42") { response in #expect(response.body.string == "user 42") }
            try await app.test(
                .POST, "comments", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"text":"<img src=x onerror=alert(1)>"}"#)
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await app.test(
                .POST, "comments", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"text":"Nice article, thanks!"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.body.string == "stored 32 bytes")
            }
        }
        let events = collected.events.withLockedValue { $0 }
        #expect(events.count == 4)
        #expect(events.allSatisfy { $0.blocked })
        #expect(events.contains { $0.route == "/users/:id" })
    }

    @Test("monitor mode: attacks are reported, the app answers")
    func monitorMode() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        try await withProtectedApp(agent: agent) { app in
            try await app.test(.GET, "search?q=1%27%20OR%201%3D1%20--") { response in
                #expect(response.status == .ok)
            }
        }
        let events = collected.events.withLockedValue { $0 }
        #expect(events.count == 1)
        #expect(events.first?.blocked == false)
        #expect(events.first?.status == 200)
    }

    @Test("client IP: spoofed X-Forwarded-For from an untrusted peer is ignored; trusted proxy chain is followed")
    func clientIP() async throws {
        let (direct, _) = makeAgent(mode: .block)
        try await withProtectedApp(agent: direct) { app in
            try await app.test(.GET, "whoami", headers: ["X-Forwarded-For": "6.6.6.6"]) { response in
                #expect(response.body.string == "127.0.0.1")
            }
        }
        let (proxied, _) = makeAgent(mode: .block, trustedProxies: ["127.0.0.1"])
        proxied.blockedIPs.block("203.0.113.7")
        try await withProtectedApp(agent: proxied) { app in
            try await app.test(.GET, "whoami", headers: ["X-Forwarded-For": "6.6.6.6, 198.51.100.4"]) { response in
                #expect(response.body.string == "198.51.100.4")
            }
            try await app.test(.GET, "whoami", headers: ["X-Forwarded-For": "203.0.113.7"]) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("a blocked user is refused through Rampart.setUser")
    func blockedUser() async throws {
        let (agent, _) = makeAgent(mode: .block)
        agent.blockedUsers.block("mallory")
        try await withProtectedApp(agent: agent) { app in
            try await app.test(.GET, "login/alice") { response in #expect(response.status == .ok) }
            try await app.test(.GET, "login/mallory") { response in #expect(response.status == .forbidden) }
        }
    }

    @Test("security headers and CSP reports")
    func securityHeaders() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        var headers = SecurityHeaders()
        headers.reportOnly = true
        try await withProtectedApp(agent: agent, securityHeaders: headers) { app in
            try await app.test(.GET, "users/1") { response in
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(
                    response.headers.first(name: "Content-Security-Policy-Report-Only")?.contains("report-uri /_rampart/csp-report")
                        == true)
            }
            try await app.test(
                .POST, "_rampart/csp-report", headers: ["Content-Type": "application/csp-report"],
                body: ByteBuffer(string: #"{"csp-report":{"document-uri":"https://shop.example/","violated-directive":"script-src","blocked-uri":"https://evil.example/x.js"}}"#)
            ) { response in
                #expect(response.status == .noContent)
            }
        }
        let csp = collected.events.withLockedValue { $0.first { $0.kind == .csp } }
        #expect(csp?.rules.first?.value == "https://evil.example/x.js")
    }

    @Test("concurrent requests with attacks and benign traffic keep being served")
    func underLoad() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        app.middleware.use(RampartMiddleware(agent: agent))
        app.get("search") { request async in "results for \(request.query[String.self, at: "q"] ?? "")" }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await withThrowingTaskGroup(of: (Bool, UInt).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let attack = index % 2 == 0
                        let query = attack ? "q=1%27%20OR%20\(index)%3D\(index)%20--" : "q=item\(index)"
                        let response = try await HTTPClient.shared.execute(
                            HTTPClientRequest(url: "http://127.0.0.1:\(port)/search?\(query)"), timeout: .seconds(30))
                        return (attack, response.status.code)
                    }
                }
                for try await (attack, status) in group {
                    #expect(status == (attack ? 403 : 200))
                }
            }
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
        #expect(collected.events.withLockedValue { $0.count } == 100)
    }
}
