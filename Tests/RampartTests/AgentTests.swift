import Foundation
import RampartProtocol
import RampartWAF
import Testing

@testable import Rampart

@Suite("Agent: phases, modes, blocklists, RASP")
struct AgentTests {
    @Test("the embedded ruleset loads")
    func embeddedRuleset() throws {
        let json = try #require(RampartAgent.embeddedRuleset())
        let waf = try WAF(rulesetJSON: json)
        #expect(waf.diagnostics.rules?.failed.isEmpty == true, "\(waf.diagnostics)")
        #expect(waf.diagnostics.rules?.loaded.count == waf.ruleIDs.count)
        #expect(waf.rulesetVersion == DefaultRuleset.version)
        let (agent, _) = makeAgent(mode: .monitor)
        #expect(agent.isEnabled)
    }

    @Test("block mode: SQL injection in the query is blocked in phase 1 and reported")
    func blockSQLiInQuery() throws {
        let (agent, exporter) = makeAgent(mode: .block)
        let context = agent.makeContext(for: request("/search?q=1%27%20OR%201%3D1%20--"))
        let decision = try #require(context.inspectHeaders())
        let response = agent.renderer.render(decision, accept: "application/json")
        #expect(response.status == 403)
        context.finish(status: response.status)
        let event = try #require(exporter.events.first)
        #expect(event.blocked)
        #expect(event.kind == .waf)
        #expect(event.rules.contains { $0.category == "sql_injection" && $0.address == "server.request.query" })
        #expect(event.status == 403)
        #expect(agent.events.count == 1)
    }

    @Test("monitor mode reports the same attack without blocking")
    func monitorMode() throws {
        let (agent, exporter) = makeAgent(mode: .monitor)
        let context = agent.makeContext(for: request("/search?q=1%27%20OR%201%3D1%20--"))
        #expect(context.inspectHeaders() == nil)
        context.finish(status: 200)
        let event = try #require(exporter.events.first)
        #expect(!event.blocked)
        #expect(event.status == 200)
    }

    @Test("benign requests produce nothing", arguments: [
        "/", "/search?q=swift+concurrency", "/users/42?sort=name&order=asc", "/docs/getting-started.html",
        "/api/items?filter=price%3C100",
    ])
    func benign(uri: String) {
        let (agent, exporter) = makeAgent(mode: .block)
        let context = agent.makeContext(for: request(uri, headers: [
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"),
            ("Accept", "text/html,application/xhtml+xml"), ("Accept-Language", "en-GB,en;q=0.9"),
        ]))
        #expect(context.inspectHeaders() == nil)
        #expect(context.inspectBody(Array(#"{"name":"Ada","note":"It's fine"}"#.utf8), contentType: "application/json") == nil)
        context.finish(status: 200)
        #expect(exporter.events.isEmpty)
    }

    @Test("phase 2: XSS in a JSON body is blocked")
    func bodyPhase() throws {
        let (agent, _) = makeAgent(mode: .block)
        let context = agent.makeContext(for: request("/comments", method: "POST", headers: [("Content-Type", "application/json")]))
        #expect(context.inspectHeaders() == nil)
        let decision = context.inspectBody(
            Array(#"{"comment":"<script>alert(document.cookie)</script>"}"#.utf8), contentType: "application/json")
        #expect(decision != nil)
    }

    @Test("scanner user agents are caught on headers")
    func scanner() {
        let (agent, _) = makeAgent(mode: .block)
        let context = agent.makeContext(for: request("/", headers: [("User-Agent", "sqlmap/1.7.2#stable (https://sqlmap.org)")]))
        #expect(context.inspectHeaders() != nil)
    }

    @Test("per-category mode: only the category switched to block blocks")
    func categoryModes() {
        let (agent, _) = makeAgent(mode: .monitor)
        agent.apply(.setMode(category: "xss", mode: .block))
        #expect(agent.makeContext(for: request("/?q=1%27%20OR%201%3D1%20--")).inspectHeaders() == nil)
        #expect(agent.makeContext(for: request("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).inspectHeaders() != nil)
    }

    @Test("IP blocklist with CIDR and expiry, updated at runtime; resolved through trusted proxies")
    func ipBlocklist() {
        let (agent, exporter) = makeAgent(mode: .block, trustedProxies: ["10.0.0.0/8"])
        agent.apply(.blockIPs([BlocklistEntry(value: "203.0.113.0/24")]))
        let viaProxy = request("/", headers: [("X-Forwarded-For", "203.0.113.50")], peer: "10.0.0.1")
        #expect(agent.makeContext(for: viaProxy).inspectHeaders() != nil)
        // A spoofed header from an untrusted peer does not make someone else blocked (nor unblocked).
        let spoofing = request("/", headers: [("X-Forwarded-For", "198.51.100.1")], peer: "203.0.113.9")
        #expect(agent.makeContext(for: spoofing).inspectHeaders() != nil)
        agent.apply(.unblockIPs(["203.0.113.0/24"]))
        #expect(agent.makeContext(for: viaProxy).inspectHeaders() == nil)
        agent.apply(.blockIPs([BlocklistEntry(value: "198.51.100.20", expiresAt: Date(timeIntervalSinceNow: -1))]))
        #expect(agent.makeContext(for: request("/")).inspectHeaders() == nil)
        _ = exporter
    }

    @Test("Rampart.setUser throws for a blocked user inside a request, and records the user")
    func blockedUser() async throws {
        let (agent, exporter) = makeAgent(mode: .block)
        agent.blockedUsers.block("mallory")
        let context = agent.makeContext(for: request("/account"))
        #expect(context.inspectHeaders() == nil)
        try RequestSecurityContext.$current.withValue(context) {
            try Rampart.setUser(id: "alice")
            #expect(throws: RampartBlockedError.self) { try Rampart.setUser(id: "mallory") }
            Rampart.trackLogin(success: false, user: "bob", metadata: ["password": "hunter2", "reason": "bad password"])
            Rampart.track(event: "password_reset")
        }
        context.finish(status: 403)
        let kinds = exporter.events.map(\.kind)
        #expect(kinds.contains(.blocklist))
        #expect(kinds.contains(.login))
        #expect(kinds.contains(.custom))
        let login = try #require(exporter.events.first { $0.kind == .login })
        #expect(login.userID == "bob")
        #expect(login.rules.first { $0.keyPath == ["password"] }?.value == Scrubber.redacted)
        // Outside a request the API is a no-op.
        try Rampart.setUser(id: "mallory")
    }

    @Test("RASP: an SQL statement built from the query throws in block mode, not in monitor mode")
    func raspSQL() throws {
        for mode in [ProtectionMode.block, .monitor] {
            let (agent, exporter) = makeAgent(mode: mode)
            let payload = "1 OR 1=1"
            let context = agent.makeContext(for: request("/items?id=1%20OR%201%3D1"))
            _ = context.inspectHeaders()
            let statement = "SELECT * FROM items WHERE id = \(payload)"
            RequestSecurityContext.$current.withValue(context) {
                #expect(throws: Never.self) { try RASPCheck.sqlStatement("SELECT * FROM items WHERE id = ?", system: "sqlite") }
                if mode == .block {
                    #expect(throws: RampartBlockedError.self) { try RASPCheck.sqlStatement(statement, system: "sqlite") }
                } else {
                    #expect(throws: Never.self) { try RASPCheck.sqlStatement(statement, system: "sqlite") }
                }
            }
            context.finish(status: 200)
            let rasp = try #require(exporter.events.first { $0.kind == .rasp })
            #expect(rasp.blocked == (mode == .block))
            #expect(!(rasp.stack ?? []).isEmpty)
        }
    }

    @Test("RASP: file, process and URL sinks")
    func raspOtherSinks() throws {
        let (agent, _) = makeAgent(mode: .block)
        let context = agent.makeContext(for: request(
            "/download?file=..%2F..%2F..%2Fetc%2Fpasswd&host=example.com%3B%20cat%20%2Fetc%2Fshadow&url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F"))
        _ = context.inspectHeaders()
        RequestSecurityContext.$current.withValue(context) {
            #expect(throws: RampartBlockedError.self) { try RASPCheck.filePath("/var/www/files/../../../etc/passwd") }
            #expect(throws: Never.self) { try RASPCheck.filePath("/var/www/files/report.pdf") }
            #expect(throws: RampartBlockedError.self) { try RASPCheck.shellCommand("ping -c 1 example.com; cat /etc/shadow") }
            #expect(throws: RampartBlockedError.self) {
                try RASPCheck.outgoingURL("http://169.254.169.254/latest/meta-data/")
            }
            #expect(throws: Never.self) { try RASPCheck.outgoingURL("https://api.example.org/v1/items") }
        }
    }

    @Test("a full event buffer drops the oldest events and counts them")
    func bufferOverflow() {
        let (agent, exporter) = makeAgent(mode: .monitor, bufferCapacity: 5)
        for index in 0..<12 {
            let context = agent.makeContext(for: request("/?q=%3Cscript%3Ealert(\(index))%3C%2Fscript%3E"))
            _ = context.inspectHeaders()
            context.finish(status: 200)
        }
        #expect(exporter.events.count == 12)
        #expect(agent.events.count == 5)
        #expect(agent.events.droppedCount == 7)
        #expect(agent.metrics.takeSnapshot().droppedEvents == 7)
    }

    @Test("events are scrubbed before they leave: sensitive keys, card numbers")
    func scrubbing() throws {
        let (agent, exporter) = makeAgent(mode: .monitor)
        let context = agent.makeContext(for: request(
            "/login?password=%3Cscript%3Ealert(1)%3C%2Fscript%3E&card=4111111111111111",
            headers: [("Authorization", "Bearer secret-token")]))
        _ = context.inspectHeaders()
        context.finish(status: 200)
        let event = try #require(exporter.events.first)
        #expect(event.rules.allSatisfy { !$0.value.contains("script") })
        #expect(event.request?.headers["authorization"] == Scrubber.redacted)
        #expect(event.request?.query["card"] == [Scrubber.redacted])
    }

    @Test("a bad rules file falls back to the embedded ruleset")
    func badRulesFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-bad-\(UUID().uuidString).json").path
        try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = RampartConfiguration()
        configuration.rulesPath = path
        let agent = RampartAgent(configuration: configuration)
        #expect(agent.isEnabled)
        #expect(agent.wafHandle?.current.rulesetVersion == DefaultRuleset.version)
    }

    @Test("malformed and hostile input never crashes the agent")
    func hostileInput() {
        let (agent, _) = makeAgent(mode: .block)
        var deep = ""
        for _ in 0..<5000 { deep += "[" }
        let inputs: [(String, [(String, String)], [UInt8], String)] = [
            ("/%FF%FE%00?%%%=%", [("Cookie", ";;=;=a;\u{0}")], [0xFF, 0xC0, 0x80], "application/json"),
            ("/?" + String(repeating: "a=1&", count: 5000), [("X-Forwarded-For", String(repeating: ",", count: 10000))],
             Array(deep.utf8), "application/json"),
            ("/", [("Content-Type", "multipart/form-data; boundary=")], Array("--\r\n\r\n--".utf8), "multipart/form-data; boundary="),
            ("/", [], Array(String(repeating: "x", count: 200_000).utf8), "application/x-www-form-urlencoded"),
        ]
        for (uri, headers, body, contentType) in inputs {
            let context = agent.makeContext(for: request(uri, method: "POST", headers: headers))
            _ = context.inspectHeaders()
            _ = context.inspectBody(body, contentType: contentType)
            _ = context.inspectResponse(status: 404)
            context.finish(status: 200)
        }
    }

    @Test("rules hot-swapped under concurrent load")
    func hotSwap() async throws {
        let (agent, _) = makeAgent(mode: .block)
        let json = try #require(RampartAgent.embeddedRuleset())
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        let context = agent.makeContext(for: request("/?q=\(worker)-\(index)%27%20OR%201%3D1--"))
                        _ = context.inspectHeaders()
                        context.finish(status: 200)
                    }
                }
            }
            group.addTask {
                for _ in 0..<5 { _ = try? agent.updateRuleset(json: json) }
            }
        }
        #expect(agent.metrics.takeSnapshot().requests == 400)
    }
}
