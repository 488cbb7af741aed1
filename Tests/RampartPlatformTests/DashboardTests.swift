import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The dashboard over real HTTP with seeded data: sessions, CSRF, roles, every page, and payloads shown as text.
@Suite struct DashboardTests {
    struct Browser {
        let client: any TestClientProtocol
        var cookie: String?

        func get(_ uri: String) async throws -> TestResponse {
            var headers: HTTPFields = [:]
            if let cookie { headers[.cookie] = cookie }
            return try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
        }

        func post(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if let cookie { headers[.cookie] = cookie }
            let body = fields.map { "\(FormFields.encode($0.0))=\(FormFields.encode($0.1))" }.joined(separator: "&")
            return try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        }

        mutating func logIn(_ username: String, _ password: String) async throws -> TestResponse {
            let response = try await post("/login", [("username", username), ("password", password)])
            if let setCookie = response.headers[.setCookie], let pair = setCookie.split(separator: ";").first {
                cookie = String(pair)
            }
            return response
        }

        /// The CSRF token embedded in a page's forms.
        func csrf(from page: TestResponse) -> String? {
            guard let range = page.text.range(of: #"name="csrf" value=""#) else { return nil }
            return String(page.text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func seed(_ harness: PlatformHarness, _ client: any TestClientProtocol) async throws -> [SecurityEvent] {
        let agentID = UUID().uuidString
        _ = try await harness.login(client, agentID: agentID, environment: "staging")
        var events = (0..<5).map { index in
            PlatformHarness.sampleEvent(at: Date().addingTimeInterval(Double(-index) * 600), ip: "203.0.113.7", blocked: index % 2 == 0)
        }
        events.append(PlatformHarness.sampleEvent(ip: "198.51.100.23", category: "xss", value: "<script>alert(1)</script>", route: "/comment"))
        var rasp = PlatformHarness.sampleEvent(ip: "198.51.100.23", category: "lfi", value: "../../etc/passwd", route: "/download/:file")
        rasp.kind = .rasp
        rasp.stack = ["Shop.download(request:) at Download.swift:12", "Hummingbird.Router.respond"]
        events.append(rasp)
        _ = try await harness.heartbeat(
            client, Heartbeat(agentID: agentID, sequence: 1, batches: [EventBatch(events: events)],
                metrics: AgentMetrics(requests: 1000, blocked: 3, attacks: 7, droppedEvents: 0, wafTimeouts: 0, wafP99Micros: 90)))
        return events
    }

    @Test(arguments: Backend.available)
    func pagesRenderSeededDataAndPayloadsAsText(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let events = try await Self.seed(harness, client)
            let password = try await harness.store.createUser(username: "admin-\(harness.app.appID.prefix(6))", role: .admin, hasher: PlatformHarness.testHasher)
            var browser = Browser(client: client)

            let anonymous = try await browser.get("/")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/login")
            let loginPage = try await browser.get("/login")
            #expect(loginPage.status == .ok)
            #expect(loginPage.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(loginPage.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")

            let wrong = try await browser.logIn("admin-\(harness.app.appID.prefix(6))", "wrong")
            #expect(wrong.status == .unauthorized)
            #expect(browser.cookie == nil)
            let login = try await browser.logIn("admin-\(harness.app.appID.prefix(6))", password)
            #expect(login.status == .seeOther)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))

            let appQuery = "app=\(harness.app.appID)&window=24h"
            let overview = try await browser.get("/?\(appQuery)")
            #expect(overview.status == .ok)
            #expect(overview.text.contains(#"<span class="number" id="total-attacks">7</span>"#))
            #expect(overview.text.contains(#"<span class="number" id="blocked-attacks">3</span>"#))
            #expect(overview.text.contains("<svg"))
            #expect(overview.text.contains("203.0.113.7"))
            #expect(overview.text.contains("sql_injection"))
            #expect(overview.text.contains("/download/:file"))

            let signals = try await browser.get("/signals?\(appQuery)")
            #expect(signals.status == .ok)
            #expect(signals.text.contains("<td><code>203.0.113.7</code></td><td>sql_injection</td><td class=\"n\">5</td><td class=\"n\">3</td>"))

            #expect(signals.text.contains("Block IP 1 h"))
            #expect(!(try await browser.get("/signals?window=24h")).text.contains("Block IP 1 h"))

            let list = try await browser.get("/signals/events?\(appQuery)&ip=198.51.100.23&category=xss")
            #expect(list.status == .ok)
            #expect(list.text.contains(events[5].eventID.uuidString))
            #expect(!list.text.contains(events[0].eventID.uuidString))

            // The XSS payload is shown as text, highlighted, never as markup.
            let xss = try await browser.get("/events/\(events[5].eventID.uuidString)")
            #expect(xss.status == .ok)
            #expect(!xss.text.contains("<script>alert(1)</script>"))
            #expect(xss.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(xss.text.contains(#"<mark class="address">server.request.query</mark>"#))
            #expect(xss.text.contains(#"<mark class="key">q</mark>"#))
            // Absent values leave no empty rows behind.
            #expect(!xss.text.contains("<dt>User</dt>"))
            #expect(!xss.text.contains("CRS"))

            let rasp = try await browser.get("/events/\(events[6].eventID.uuidString)")
            #expect(rasp.text.contains("RASP stack"))
            #expect(rasp.text.contains("Shop.download(request:) at Download.swift:12"))
            #expect(rasp.text.contains("../../etc/passwd"))
            #expect(try await browser.get("/events/\(UUID().uuidString)").status == .notFound)

            let agents = try await browser.get("/agents")
            #expect(agents.status == .ok)
            #expect(agents.text.contains("hummingbird 2.28.1"))
            #expect(agents.text.contains("staging"))
            #expect(agents.text.contains("sqlite-nio"))
            #expect(agents.text.contains(#"<span class="tag healthy">healthy</span>"#))

            // Settings: a change without the CSRF token is refused; with it, it reaches the agent.
            let settings = try await browser.get("/settings?app=\(harness.app.appID)")
            #expect(settings.status == .ok)
            let csrf = try #require(browser.csrf(from: settings))
            let forged = try await browser.post("/settings/mode", [("app", harness.app.appID), ("category", "xss"), ("mode", "block")])
            #expect(forged.status == .forbidden)
            let changed = try await browser.post(
                "/settings/mode", [("csrf", csrf), ("app", harness.app.appID), ("category", "xss"), ("mode", "block")])
            #expect(changed.status == .seeOther)
            let blocked = try await browser.post(
                "/settings/block", [("csrf", csrf), ("app", harness.app.appID), ("list", "ip"), ("value", "203.0.113.7"), ("minutes", "30"), ("reason", "scanner")])
            #expect(blocked.status == .seeOther)
            let badIP = try await browser.post(
                "/settings/block", [("csrf", csrf), ("app", harness.app.appID), ("list", "ip"), ("value", "<b>nope</b>"), ("minutes", "30")])
            #expect(badIP.status == .ok)
            #expect(badIP.text.contains("&lt;b&gt;nope&lt;/b&gt; is not an IP address"))
            let badRules = try await browser.post("/settings/ruleset", [("csrf", csrf), ("app", harness.app.appID), ("ruleset", #"{"rules":[{"id":"x"}]}"#)])
            #expect(badRules.text.contains("the ruleset does not load"))
            let playbook = try await browser.post(
                "/settings/autoblock", [("csrf", csrf), ("app", harness.app.appID), ("enabled", "on"), ("threshold", "4"), ("window", "5"), ("minutes", "15")])
            #expect(playbook.status == .seeOther)
            #expect(try await harness.store.autoBlock(appID: harness.app.appID) == (try AutoBlockPlaybook(threshold: 4, windowMinutes: 5, blockMinutes: 15)))
            let failedLogins = try await browser.post(
                "/settings/failedlogins", [("csrf", csrf), ("app", harness.app.appID), ("enabled", "on"), ("threshold", "6"), ("window", "10"), ("minutes", "0")])
            #expect(failedLogins.status == .seeOther)
            #expect(try await harness.store.failedLoginPlaybook(appID: harness.app.appID) == (try FailedLoginPlaybook(threshold: 6, windowMinutes: 10)))
            let after = try await browser.get("/settings?app=\(harness.app.appID)")
            #expect(after.text.contains(#"name="enabled" value="on" checked"#))
            #expect(after.text.contains(#"name="threshold" type="number" min="1" max="100000" value="6""#))
            #expect(after.text.contains("No flagged users."))
            #expect(after.text.contains("<td><code>203.0.113.7</code></td>"))
            let settingsNow = try await harness.store.settings(appID: harness.app.appID)
            #expect(settingsNow.categoryModes["xss"] == .block)
            #expect(settingsNow.blocklist.map(\.value) == ["203.0.113.7"])

            let fresh = try await harness.login(client)
            #expect(fresh.commands.contains(.setMode(category: "xss", mode: .block)))

            // Logging out ends the session.
            let logout = try await browser.post("/logout", [("csrf", csrf)])
            #expect(logout.status == .seeOther)
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test func viewersCannotChangeSettingsAndLoginsAreRateLimited() async throws {
        try await PlatformHarness.run(.sqlite) { harness, client in
            let password = try await harness.store.createUser(username: "viewer", role: .viewer, hasher: PlatformHarness.testHasher)
            var browser = Browser(client: client)
            #expect(try await browser.logIn("viewer", password).status == .seeOther)
            let settings = try await browser.get("/settings")
            #expect(settings.text.contains("settings are read-only"))
            let csrf = try #require(browser.csrf(from: settings))
            let attempt = try await browser.post("/settings/budget", [("csrf", csrf), ("app", harness.app.appID), ("micros", "100")])
            #expect(attempt.status == .forbidden)
            #expect(try await harness.store.settings(appID: harness.app.appID).budgetMicros == nil)

            var attacker = Browser(client: client)
            for _ in 0..<5 {
                #expect(try await attacker.logIn("viewer", "guess").status == .unauthorized)
            }
            // Even the right password is refused while the user is locked out.
            #expect(try await attacker.logIn("viewer", password).status == .tooManyRequests)
        }
    }
}
