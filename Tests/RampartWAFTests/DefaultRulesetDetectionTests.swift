import Foundation
import Testing
@testable import RampartWAF

/// Runs Rampart's default ruleset in the engine: every rule catches its attack payloads and stays quiet on its
/// look-alikes (cases in Fixtures/default-ruleset-cases.json), blocklists and RASP rules fire on their addresses.
@Suite("Default ruleset detections")
struct DefaultRulesetDetectionTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var testDescription: String { rule }
        var rule: String
        var address: String
        var attack: [String]
        var benign: [String]
    }

    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let waf: WAF? = try? WAF(rulesetJSON: DefaultRuleset.json)

    static func cases() throws -> [Case] {
        let url = packageRoot.appendingPathComponent("Tests/RampartWAFTests/Fixtures/default-ruleset-cases.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    /// Request data as the agent would build it, with the value placed where the case says.
    static func addresses(for address: String, value: String) -> [String: WAFValue] {
        var data: [String: WAFValue] = [
            "server.request.method": "GET",
            "server.request.uri.raw": "/t",
            "server.request.headers.no_cookies": .map([.init(key: "user-agent", value: ["Mozilla/5.0"])]),
            "http.client_ip": "198.51.100.7",
        ]
        switch address {
        case "query": data["server.request.query"] = .map([.init(key: "q", value: [.string(value)])])
        case "query_key": data["server.request.query"] = .map([.init(key: value, value: ["1"])])
        case "body": data["server.request.body"] = .map([.init(key: "v", value: .string(value))])
        case "header": data["server.request.headers.no_cookies"] = .map([.init(key: "user-agent", value: ["Mozilla/5.0"]), .init(key: "x-data", value: [.string(value)])])
        case "user-agent": data["server.request.headers.no_cookies"] = .map([.init(key: "user-agent", value: [.string(value)])])
        case "header_name": data["server.request.headers.no_cookies"] = .map([.init(key: "user-agent", value: ["Mozilla/5.0"]), .init(key: value, value: ["1"])])
        case "uri": data["server.request.uri.raw"] = .string(value)
        case "method": data["server.request.method"] = .string(value)
        default: break
        }
        return data
    }

    static func firedRules(_ data: [String: WAFValue], waf: WAF) -> Set<String> {
        let result = waf.makeContext().run(data, budget: .seconds(5))
        return Set(result.events.map(\.rule.id))
    }

    /// One ruleset holding only `rule`, so a blocking rule elsewhere cannot hide it.
    static func singleRuleWAF(_ ruleID: String) throws -> WAF {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(DefaultRuleset.json.utf8)) as? [String: Any])
        let rules = try #require(document["rules"] as? [[String: Any]]).filter { $0["id"] as? String == ruleID }
        try #require(rules.count == 1, "rule \(ruleID) exists")
        var single = document
        single["rules"] = rules
        let json = String(decoding: try JSONSerialization.data(withJSONObject: single), as: UTF8.self)
        return try WAF(rulesetJSON: json)
    }

    @Test func loadsWithoutDiagnostics() throws {
        let waf = try #require(Self.waf)
        #expect(waf.diagnostics.rules?.failed.isEmpty == true, "\(waf.diagnostics)")
        #expect(waf.diagnostics.hasErrors == false)
        #expect(waf.rulesetVersion == DefaultRuleset.version)
    }

    @Test(arguments: try cases())
    func ruleCatchesAttacksAndIgnoresLookAlikes(_ testCase: Case) throws {
        let waf = try Self.singleRuleWAF(testCase.rule)
        for payload in testCase.attack {
            #expect(Self.firedRules(Self.addresses(for: testCase.address, value: payload), waf: waf).contains(testCase.rule),
                    "\(testCase.rule) misses \(payload.debugDescription)")
        }
        for payload in testCase.benign {
            #expect(!Self.firedRules(Self.addresses(for: testCase.address, value: payload), waf: waf).contains(testCase.rule),
                    "\(testCase.rule) flags look-alike \(payload.debugDescription)")
        }
    }

    /// A browser talking to an app on the developer's machine sends loopback URLs in `Origin`, `Referer` and `Host`:
    /// that is normal traffic, not SSRF, and must not trip any rule (found by the wrk overhead benchmark).
    @Test func localDevelopmentBrowserHeadersAreQuiet() throws {
        let waf = try #require(Self.waf)
        var data = Self.addresses(for: "query", value: "shoes")
        data["server.request.headers.no_cookies"] = .map([
            .init(key: "host", value: ["127.0.0.1:8080"]),
            .init(key: "origin", value: ["http://127.0.0.1:8080"]),
            .init(key: "referer", value: ["http://localhost:8080/cart?step=2"]),
            .init(key: "user-agent", value: ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"]),
            .init(key: "accept", value: ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]),
        ])
        #expect(Self.firedRules(data, waf: waf).isEmpty)
        // The same loopback URL in a parameter is what an SSRF looks like.
        var attack = data
        attack["server.request.query"] = .map([.init(key: "url", value: ["http://127.0.0.1:8080/admin"])])
        #expect(Self.firedRules(attack, waf: waf).contains("rpt-ssrf-001"))
    }

    @Test func smugglingRuleNeedsBothLengthHeaders() throws {
        let waf = try Self.singleRuleWAF("rpt-proto-002")
        var data = Self.addresses(for: "query", value: "x")
        data["server.request.headers.no_cookies"] = .map([.init(key: "content-length", value: ["4"]), .init(key: "transfer-encoding", value: ["chunked"])])
        #expect(Self.firedRules(data, waf: waf) == ["rpt-proto-002"])
        data["server.request.headers.no_cookies"] = .map([.init(key: "content-length", value: ["4"])])
        #expect(Self.firedRules(data, waf: waf).isEmpty)
    }

    @Test func blocklistsBlockListedIPsAndUsers() throws {
        let base = try #require(Self.waf)
        let waf = try base.updating(rulesetJSON: """
        {"rules_data": [
          {"id": "blocked_ips", "type": "ip_with_expiration", "data": [{"value": "203.0.113.0/24", "expiration": 0}]},
          {"id": "blocked_users", "type": "data_with_expiration", "data": [{"value": "mallory", "expiration": 0}]}
        ]}
        """)
        var data = Self.addresses(for: "query", value: "hello")
        data["http.client_ip"] = "203.0.113.9"
        let blocked = waf.makeContext().run(data, budget: .seconds(5))
        #expect(blocked.events.map(\.rule.id).contains("rpt-block-ip"))
        #expect(blocked.isBlocking)
        data["http.client_ip"] = "198.51.100.7"
        data["usr.id"] = "mallory"
        #expect(Self.firedRules(data, waf: waf).contains("rpt-block-user"))
        data["usr.id"] = "alice"
        #expect(Self.firedRules(data, waf: waf).isEmpty)
    }

    @Test func raspRulesFireOnSinkAddressesOnly() throws {
        let waf = try #require(Self.waf)
        let context = waf.makeContext()
        let request: [String: WAFValue] = ["server.request.query": .map([.init(key: "id", value: ["1 OR 1=1"]), .init(key: "file", value: ["../../etc/passwd"])])]
        _ = context.run(request, budget: .seconds(5))
        let sql = context.run([:], ephemeral: ["server.db.statement": "SELECT * FROM t WHERE id = 1 OR 1=1", "server.db.system": "sqlite"], budget: .seconds(5))
        #expect(sql.events.map(\.rule.id) == ["rpt-rasp-sqli"])
        let safe = context.run([:], ephemeral: ["server.db.statement": "SELECT * FROM t WHERE id = ?", "server.db.system": "sqlite"], budget: .seconds(5))
        #expect(safe.events.isEmpty)
        let file = context.run([:], ephemeral: ["server.io.fs.file": "/srv/files/../../etc/passwd"], budget: .seconds(5))
        #expect(file.events.map(\.rule.id) == ["rpt-rasp-lfi"])
    }
}
