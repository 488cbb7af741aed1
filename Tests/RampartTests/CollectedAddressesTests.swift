import Logging
import RampartWAF
import Testing

@testable import Rampart

/// The agent builds only the addresses its ruleset reads, and skips WAF runs with nothing to read; rules on the
/// addresses it does build keep working.
@Suite("Collected addresses")
struct CollectedAddressesTests {
    /// A ruleset of one blocking rule: `address` (at `keyPath`, if any) equal to one of `values`.
    static func ruleset(address: String, keyPath: [String] = [], values: [String]) -> String {
        let path = keyPath.isEmpty ? "" : #", "key_path": [\#(keyPath.map { "\"\($0)\"" }.joined(separator: ","))]"#
        return #"""
            {"version": "2.2", "metadata": {"rules_version": "collected-test"},
             "rules": [{"id": "t-1", "name": "test rule", "tags": {"type": "test", "category": "attack_attempt"},
               "conditions": [{"operator": "exact_match", "parameters": {
                 "inputs": [{"address": "\#(address)"\#(path)}],
                 "list": [\#(values.map { "\"\($0)\"" }.joined(separator: ","))]}}],
               "on_match": ["block"]}]}
            """#
    }

    static func agent(rulesetJSON: String) -> RampartAgent {
        var configuration = RampartConfiguration()
        configuration.mode = .block
        configuration.wafBudget = .milliseconds(100)
        var logger = Logger(label: "rampart-test")
        logger.logLevel = .critical
        return RampartAgent(configuration: configuration, logger: logger, rulesetJSON: rulesetJSON, exporters: [])
    }

    static let browserRequest = request(
        "/search?q=mug&page=2", headers: [
            ("User-Agent", "Mozilla/5.0"), ("Accept", "text/html"), ("Cookie", "session=abc; theme=dark"),
            ("cookie", "cart=3"),
        ], route: "/search/:kind", parameters: [("kind", "mugs")])

    @Test("the addresses a ruleset reads are read from its conditions")
    func fromRuleset() throws {
        let waf = try WAF(rulesetJSON: Self.ruleset(address: "server.request.query", values: ["x"]))
        let collected = CollectedAddresses(required: waf.requiredAddresses)
        #expect(collected.query)
        #expect(!collected.headers && !collected.cookies && !collected.uri && !collected.method)
        #expect(!collected.clientIP && !collected.responseStatus && !collected.userID && !collected.body)
    }

    @Test("phase 1 builds only the addresses the ruleset reads")
    func headerPhaseBuildsWhatIsRead() {
        let queryOnly = Self.agent(rulesetJSON: Self.ruleset(address: "server.request.query", values: ["x"]))
        #expect(Array(queryOnly.makeContext(for: Self.browserRequest).headerPhaseData().keys) == ["server.request.query"])

        let (testAgent, _) = makeAgent(mode: .block)
        let data = testAgent.makeContext(for: Self.browserRequest).headerPhaseData()
        #expect(Set(data.keys) == [
            "server.request.query", "server.request.headers.no_cookies", "server.request.cookies",
            "server.request.uri.raw", "server.request.path_params",
        ])
        // Both Cookie fields are read, as one header; no cookie among the headers.
        #expect(data["server.request.cookies"] == ["session": ["abc"], "theme": ["dark"], "cart": ["3"]])
        #expect(data["server.request.headers.no_cookies"] == ["user-agent": ["Mozilla/5.0"], "accept": ["text/html"]])
    }

    @Test("a ruleset reading the client IP and method gets them")
    func clientIPAndMethod() throws {
        let agent = Self.agent(rulesetJSON: Self.ruleset(address: "http.client_ip", values: ["203.0.113.5"]))
        let context = agent.makeContext(for: request("/", peer: "203.0.113.5"))
        #expect(context.headerPhaseData() == ["http.client_ip": "203.0.113.5"])
        #expect(context.inspectHeaders() != nil)
        let methodAgent = Self.agent(rulesetJSON: Self.ruleset(address: "server.request.method", values: ["TRACE"]))
        #expect(methodAgent.makeContext(for: request("/", method: "TRACE")).inspectHeaders() != nil)
        #expect(methodAgent.makeContext(for: request("/", method: "GET")).inspectHeaders() == nil)
    }

    @Test("a rule on the response status still runs; without one the response phase does nothing")
    func responseStatus() throws {
        let agent = Self.agent(rulesetJSON: Self.ruleset(address: "server.response.status", values: ["599"]))
        let context = agent.makeContext(for: request("/"))
        #expect(context.inspectHeaders() == nil)
        #expect(context.inspectResponse(status: 200) == nil)
        #expect(context.inspectResponse(status: 599) != nil)

        let (testAgent, exporter) = makeAgent(mode: .block)
        let plain = testAgent.makeContext(for: request("/"))
        #expect(plain.inspectHeaders() == nil)
        #expect(plain.inspectResponse(status: 599) == nil)
        plain.finish(status: 599)
        #expect(exporter.events.isEmpty)
    }

    @Test("a rule on the user id still blocks through setUser")
    func userID() throws {
        let agent = Self.agent(rulesetJSON: Self.ruleset(address: "usr.id", values: ["mallory"]))
        let context = agent.makeContext(for: request("/"))
        #expect(context.inspectHeaders() == nil)
        try context.setUser(id: "alice")
        #expect(throws: RampartBlockedError.self) { try context.setUser(id: "mallory") }
    }

    @Test("a hot-swapped ruleset is read for the addresses it needs")
    func hotSwap() throws {
        let agent = Self.agent(rulesetJSON: Self.ruleset(address: "server.request.query", values: ["x"]))
        #expect(Array(agent.makeContext(for: Self.browserRequest).headerPhaseData().keys) == ["server.request.query"])
        try agent.updateRuleset(json: Self.ruleset(address: "server.request.uri.raw", values: ["/admin"]))
        let context = agent.makeContext(for: request("/admin"))
        #expect(Array(context.headerPhaseData().keys) == ["server.request.uri.raw"])
        #expect(context.inspectHeaders() != nil)
    }
}
