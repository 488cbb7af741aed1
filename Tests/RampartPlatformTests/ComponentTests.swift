import Foundation
import RampartWAF
import Testing

@testable import RampartPlatform

/// The platform's small parts: parsing, hashing, highlighting, ruleset checks.
@Suite struct ComponentTests {
    @Test func databaseLocations() throws {
        #expect(try DatabaseLocation("sqlite:/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation("data.sqlite") == .sqlite(path: "data.sqlite"))
        #expect(try DatabaseLocation("postgres://rampart:p%40ss@127.0.0.1:5433/rampart")
            == .postgres(host: "127.0.0.1", port: 5433, username: "rampart", password: "p@ss", database: "rampart"))
        #expect(try DatabaseLocation("postgresql://db.internal/x") == .postgres(host: "db.internal", port: 5432, username: "postgres", password: nil, database: "x"))
        #expect(throws: StorageError.self) { try DatabaseLocation("mysql://x") }
        #expect(throws: StorageError.self) { try DatabaseLocation("postgres://host:99999/x") }
        #expect(throws: StorageError.self) { try DatabaseLocation("sqlite:") }
    }

    @Test func sqlitePlaceholdersAreRewritten() {
        #expect(SQLiteDatabase.sqliteSQL("SELECT $1, $12 FROM t WHERE a = $2") == "SELECT ?1, ?12 FROM t WHERE a = ?2")
        #expect(SQLiteDatabase.sqliteSQL("SELECT '$x' || $") == "SELECT '$x' || $")
    }

    @Test func apiKeysAreParsedAndVerifiedAgainstSaltedHashes() throws {
        let key = APIKey.generate()
        let parsed = try #require(APIKey(parsing: key.text))
        #expect(parsed == key)
        let salt = SecretGenerator.hex(bytes: 16)
        let hash = APIKey.hash(secret: key.secret, salt: salt)
        #expect(!hash.contains(key.secret))
        #expect(APIKey.verify(secret: key.secret, salt: salt, expectedHash: hash))
        #expect(!APIKey.verify(secret: APIKey.generate().secret, salt: salt, expectedHash: hash))
        // The same secret under another salt hashes differently.
        #expect(APIKey.hash(secret: key.secret, salt: SecretGenerator.hex(bytes: 16)) != hash)
        for text in ["", "rk_", "rk_zz_zz", "xx_\(key.keyID)_\(key.secret)", key.text + "0", "rk_\(key.keyID)_\(key.secret)_x"] {
            #expect(APIKey(parsing: text) == nil)
        }
    }

    @Test func passwordsUseScryptWithSaltAndParameters() throws {
        let hasher = PasswordHasher(rounds: 1 << 10)
        let stored = try hasher.hash("correct horse")
        #expect(stored.hasPrefix("scrypt$1024$8$1$"))
        #expect(PasswordHasher.verify("correct horse", against: stored))
        #expect(!PasswordHasher.verify("correct horse ", against: stored))
        #expect(try hasher.hash("correct horse") != stored)
        for malformed in ["", "scrypt$", "scrypt$1000$8$1$00$00", "bcrypt$1024$8$1$00$00", "scrypt$1024$8$1$zz$00"] {
            #expect(!PasswordHasher.verify("x", against: malformed))
        }
    }

    @Test func highlightSegmentsCoverTheValue() {
        let segments = HighlightSegments.split("a OR b or OR", highlights: ["OR", "b o"])
        #expect(segments.map(\.text).joined() == "a OR b or OR")
        #expect(segments.filter(\.isMatch).map(\.text) == ["OR", "b o", "OR"])
        #expect(HighlightSegments.split("abc", highlights: []) == [.init(text: "abc", isMatch: false)])
        #expect(HighlightSegments.split("", highlights: ["x"]).isEmpty)
    }

    @Test func formFieldsDecode() {
        let fields = FormFields("a=1&b=x+y%26z&a=2&c&d=%E2%9C%93&e=%zz")
        #expect(fields["a"] == "1")
        #expect(fields["b"] == "x y&z")
        #expect(fields["c"] == "")
        #expect(fields["d"] == "✓")
        #expect(fields["e"] == "%zz")
        #expect(FormFields.query([("ip", "1.2.3.4"), ("q", "a b&c"), ("none", nil)]) == "ip=1.2.3.4&q=a%20b%26c")
    }

    @Test func rulesetsAreCompiledByTheWAFBeforePublication() throws {
        let valid = #"{"version":"2.2","metadata":{"rules_version":"9.9"},"rules":[{"id":"r1","name":"n","tags":{"type":"xss","category":"attack_attempt"},"conditions":[{"operator":"phrase_match","parameters":{"inputs":[{"address":"server.request.query"}],"list":["x"]}}]}]}"#
        let report = try RulesetValidator.validate(valid)
        #expect(report.version == "9.9")
        #expect(report.ruleCount == 1)
        // The project's default ruleset, RASP rules included, is accepted as a custom upload.
        #expect(try RulesetValidator.validate(DefaultRuleset.json).ruleCount > 40)
        let rule = #"{"id":"a","name":"n","tags":{"type":"x","category":"c"},"conditions":[CONDITION]}"#
        let cases: [(String, String)] = [
            ("[]", "does not load"),
            (#"{"rules":[]}"#, "does not load"),
            (#"{"rules":[\#(rule.replacingOccurrences(of: "CONDITION", with: #"{"operator":"no_such_operator","parameters":{"inputs":[{"address":"q"}]}}"#))]}"#, "does not load"),
            (#"{"rules":[\#(rule.replacingOccurrences(of: "CONDITION", with: #"{"operator":"match_regex","parameters":{"inputs":[{"address":"q"}],"regex":"(?=x)"}}"#))]}"#, "does not load"),
        ]
        for (document, message) in cases {
            do {
                _ = try RulesetValidator.validate(document)
                Issue.record("accepted \(document)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func agentHealthFollowsHeartbeats() {
        let now = Date()
        var agent = AgentRecord(
            agentID: "a", appID: "b", appName: "c", environment: "e", hostname: "h", rampartVersion: "0", swiftVersion: "6",
            os: "Linux", framework: "f", routes: [], dependencies: [], firstSeen: now, lastLogin: now.addingTimeInterval(-1000),
            lastHeartbeat: now.addingTimeInterval(-10), heartbeatInterval: 20, rulesetVersion: nil, totalRequests: 0,
            totalBlocked: 0, totalAttacks: 0, droppedEvents: 0, wafTimeouts: 0, wafP99Micros: 0)
        #expect(agent.health(at: now) == .healthy)
        agent.droppedEvents = 1
        #expect(agent.health(at: now) == .degraded)
        agent.lastHeartbeat = now.addingTimeInterval(-100)
        #expect(agent.health(at: now) == .stale)
        agent.lastHeartbeat = now.addingTimeInterval(-1000)
        #expect(agent.health(at: now) == .offline)
    }

    @Test func ipValidationForTheBlocklistForm() {
        for good in ["203.0.113.7", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32", "::ffff:1.2.3.4"] {
            #expect(DashboardController.looksLikeIPOrCIDR(good), "\(good)")
        }
        for bad in ["", "1.2.3", "300.1.1.1", "1.2.3.4/200", "host.example", "<b>"] {
            #expect(!DashboardController.looksLikeIPOrCIDR(bad), "\(bad)")
        }
    }
}
