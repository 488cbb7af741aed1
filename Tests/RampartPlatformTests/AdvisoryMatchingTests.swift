import Foundation
import RampartProtocol
import Testing

@testable import RampartPlatform

/// Semantic versions, OSV range evaluation, repository URL normalisation and advisory matching.
@Suite struct AdvisoryMatchingTests {
    @Test(arguments: [
        ("1.2.3", "1.2.3"), ("v1.2.3", "1.2.3"), ("1.20", "1.20.0"), ("2", "2.0.0"), ("1.0.0-beta.2", "1.0.0-beta.2"),
        ("1.0.0+build.7", "1.0.0"), ("V4.90.0", "4.90.0"),
    ])
    func parsesVersions(_ text: String, _ expected: String) throws {
        #expect(try #require(SemanticVersion(text)).description == expected)
    }

    @Test(arguments: ["", "main", "1.2.3.4", "1..2", "a.b.c", "1.2.x", "6f1c2a0e9d", "1.0.0-", "1.0.0-be ta", "-1.0.0"])
    func rejectsNonVersions(_ text: String) {
        #expect(SemanticVersion(text) == nil)
    }

    /// SemVer 2.0 §11's precedence example, in order.
    @Test func precedenceFollowsTheSpecification() throws {
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0",
        ].map { SemanticVersion($0)! }
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "!(\(higher) < \(lower))")
        }
        #expect(SemanticVersion("1.2.3+a") == SemanticVersion("1.2.3+b"))
    }

    static func events(_ pairs: [(String, String)]) -> [OSVAdvisory.Event] {
        pairs.map { kind, version in
            switch kind {
            case "introduced": OSVAdvisory.Event(introduced: version)
            case "fixed": OSVAdvisory.Event(fixed: version)
            case "last_affected": OSVAdvisory.Event(lastAffected: version)
            default: OSVAdvisory.Event(limit: version)
            }
        }
    }

    /// (events, version, affected)
    static let rangeTable: [([(String, String)], String, Bool)] = [
        ([("introduced", "0"), ("fixed", "4.90.0")], "0.1.0", true),
        ([("introduced", "0"), ("fixed", "4.90.0")], "4.89.9", true),
        ([("introduced", "0"), ("fixed", "4.90.0")], "4.90.0", false),
        ([("introduced", "0"), ("fixed", "4.90.0")], "4.90.0-rc.1", true),
        ([("introduced", "0"), ("fixed", "4.90.0")], "5.0.0", false),
        ([("introduced", "4.83.2"), ("fixed", "4.84.2")], "4.83.1", false),
        ([("introduced", "4.83.2"), ("fixed", "4.84.2")], "4.83.2", true),
        ([("introduced", "4.83.2"), ("fixed", "4.84.2")], "4.84.1", true),
        ([("introduced", "4.83.2"), ("fixed", "4.84.2")], "4.84.2", false),
        // Several introduced/fixed pairs in one range, listed out of order (OSV sorts them).
        ([("fixed", "2.42.0"), ("introduced", "2.40.0"), ("fixed", "2.39.1"), ("introduced", "0")], "2.39.0", true),
        ([("fixed", "2.42.0"), ("introduced", "2.40.0"), ("fixed", "2.39.1"), ("introduced", "0")], "2.39.5", false),
        ([("fixed", "2.42.0"), ("introduced", "2.40.0"), ("fixed", "2.39.1"), ("introduced", "0")], "2.41.0", true),
        ([("fixed", "2.42.0"), ("introduced", "2.40.0"), ("fixed", "2.39.1"), ("introduced", "0")], "2.42.0", false),
        // last_affected includes its own version.
        ([("introduced", "1.0.0"), ("last_affected", "1.4.2")], "1.4.2", true),
        ([("introduced", "1.0.0"), ("last_affected", "1.4.2")], "1.4.3", false),
        ([("introduced", "1.0.0"), ("last_affected", "1.4.2")], "0.9.0", false),
        // No fix yet: everything from introduced on.
        ([("introduced", "1.0.0")], "99.0.0", true),
        // Partial versions as GitHub writes them ("1.20" = 1.20.0).
        ([("introduced", "1.0.0"), ("fixed", "1.20")], "1.19.9", true),
        ([("introduced", "1.0.0"), ("fixed", "1.20")], "1.20.0", false),
    ]

    @Test(arguments: rangeTable.indices)
    func evaluatesRanges(_ index: Int) throws {
        let (pairs, version, expected) = Self.rangeTable[index]
        let parsed = try #require(SemanticVersion(version))
        #expect(AdvisoryMatcher.isAffected(parsed, events: Self.events(pairs)) == expected, "\(pairs) at \(version)")
    }

    @Test(arguments: [
        ("https://github.com/apple/swift-nio", "github.com/apple/swift-nio"),
        ("https://github.com/apple/swift-nio.git", "github.com/apple/swift-nio"),
        ("https://GitHub.com/Apple/Swift-NIO.git/", "github.com/apple/swift-nio"),
        ("http://github.com/apple/swift-nio/", "github.com/apple/swift-nio"),
        ("git@github.com:apple/swift-nio.git", "github.com/apple/swift-nio"),
        ("ssh://git@github.com/apple/swift-nio.git", "github.com/apple/swift-nio"),
        ("https://token@github.com:443/apple/swift-nio.git?x=1#y", "github.com/apple/swift-nio"),
        ("github.com/apple/swift-nio", "github.com/apple/swift-nio"),
        ("swift-nio", "swift-nio"),
    ])
    func normalisesRepositoryURLs(_ text: String, _ expected: String) {
        #expect(PackageURL.normalize(text) == expected)
    }

    static func advisory(_ id: String, package: String, _ pairs: [(String, String)], versions: [String]? = nil) -> OSVAdvisory {
        OSVAdvisory(
            id: id, aliases: ["CVE-\(id)"], summary: "summary of \(id)",
            affected: [.init(package: .init(ecosystem: "SwiftURL", name: package), ranges: [.init(type: "SEMVER", events: events(pairs))], versions: versions)])
    }

    @Test func matchesDependenciesByNormalisedURLAndVersion() {
        let matcher = AdvisoryMatcher(advisories: [
            Self.advisory("A-1", package: "github.com/vapor/vapor", [("introduced", "0"), ("fixed", "4.90.0")]),
            Self.advisory("A-2", package: "github.com/vapor/vapor", [("introduced", "4.83.2"), ("fixed", "4.84.2")]),
            Self.advisory("A-3", package: "github.com/apple/swift-nio-http2", [("introduced", "1.0.0"), ("fixed", "1.20.0")], versions: ["0.9.0"]),
            OSVAdvisory(id: "OTHER", affected: [.init(package: .init(ecosystem: "npm", name: "vapor"), ranges: [], versions: ["4.84.0"])]),
        ])
        let findings = matcher.findings(for: [
            Dependency(name: "https://github.com/Vapor/vapor.git", version: "4.84.0"),
            Dependency(name: "https://github.com/apple/swift-nio-http2.git", version: "1.20.0"),
            Dependency(name: "git@github.com:apple/swift-nio-http2.git", version: "0.9.0"),
            Dependency(name: "https://github.com/apple/swift-nio.git", version: "2.0.0"),
            Dependency(name: "https://github.com/vapor/vapor.git", version: "branch main"),
        ])
        #expect(findings.map(\.advisoryID) == ["A-1", "A-2", "A-3"])
        #expect(findings[0].package == "https://github.com/Vapor/vapor.git")
        #expect(findings[0].fixedVersions == ["4.90.0"])
        #expect(findings[1].fixedVersions == ["4.84.2"])
        #expect(findings[2].installedVersion == "0.9.0")
        #expect(findings[2].aliases == ["CVE-A-3"])
    }

    @Test func bareIdentityMatchesTheLastPathComponent() {
        let matcher = AdvisoryMatcher(advisories: [
            Self.advisory("A-1", package: "github.com/vapor/vapor", [("introduced", "0"), ("fixed", "4.90.0")])
        ])
        #expect(matcher.findings(for: [Dependency(name: "vapor", version: "4.89.0")]).map(\.advisoryID) == ["A-1"])
        #expect(matcher.findings(for: [Dependency(name: "vapor-extra", version: "4.89.0")]).isEmpty)
    }

    @Test func withdrawnAdvisoriesMatchNothing() {
        var advisory = Self.advisory("A-1", package: "github.com/vapor/vapor", [("introduced", "0")])
        advisory.withdrawn = "2024-01-01T00:00:00Z"
        #expect(AdvisoryMatcher(advisories: [advisory]).findings(for: [Dependency(name: "https://github.com/vapor/vapor", version: "1.0.0")]).isEmpty)
    }

    @Test(arguments: [
        (#"{"affected": []}"#, "missing `id`"),
        (#"{"id": "X-1", "affected": [{"package": {"ecosystem": "SwiftURL", "name": "vapor"}}]}"#, "affected[0].package.name `vapor` is not a repository URL"),
        (#"{"id": "X-2", "affected": [{"package": {"ecosystem": "SwiftURL", "name": "github.com/a/b"}, "ranges": [{"type": "SEMVER", "events": [{"fixed": "1.0.0"}]}]}]}"#, "affected[0].ranges[0].events has no `introduced` event"),
        (#"{"id": "X-3", "affected": [{"package": {"ecosystem": "SwiftURL", "name": "github.com/a/b"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "soon"}]}]}]}"#, "affected[0].ranges[0].events[1].fixed `soon` is not a semantic version"),
        (#"{"id": "X-4", "affected": [{"package": {"ecosystem": "SwiftURL", "name": "github.com/a/b"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]}"#, "events[0] must have exactly one of"),
        ("[1, 2]", "not an OSV advisory"),
    ])
    func malformedAdvisoriesNameTheField(_ json: String, _ message: String) {
        do {
            _ = try OSVAdvisory.decode(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    static var seedDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Advisories").path
    }

    @Test func seedAdvisoriesLoadAndMatchKnownVulnerableVersions() throws {
        let advisories = try AdvisoryDirectory.load(Self.seedDirectory)
        #expect(advisories.map(\.id) == [
            "GHSA-3mwq-h3g6-ffhm", "GHSA-ccw9-q5h2-8c2w", "GHSA-q36x-r5x4-h4q6", "GHSA-qppj-fm5r-hxr3", "GHSA-r6r4-5pr8-gjcp",
        ])
        let matcher = AdvisoryMatcher(advisories: advisories)
        let findings = matcher.findings(for: [
            Dependency(name: "https://github.com/vapor/vapor.git", version: "4.84.0"),
            Dependency(name: "https://github.com/apple/swift-nio-http2.git", version: "1.19.0"),
        ])
        #expect(findings.map(\.advisoryID) == [
            "GHSA-3mwq-h3g6-ffhm", "GHSA-r6r4-5pr8-gjcp", "GHSA-ccw9-q5h2-8c2w", "GHSA-q36x-r5x4-h4q6", "GHSA-qppj-fm5r-hxr3",
        ])
        #expect(findings.first { $0.advisoryID == "GHSA-qppj-fm5r-hxr3" }?.fixedVersions == ["1.28.0"])
        #expect(matcher.findings(for: [
            Dependency(name: "https://github.com/vapor/vapor.git", version: "4.122.3"),
            Dependency(name: "https://github.com/apple/swift-nio-http2.git", version: "1.46.0"),
        ]).isEmpty)
    }

    @Test func advisoryDirectoryErrorsNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("advisories-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = #"{"id": "X-1", "affected": [{"package": {"ecosystem": "SwiftURL", "name": "github.com/a/b"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#
        try Data(good.utf8).write(to: directory.appendingPathComponent("a.json"))
        try Data(good.utf8).write(to: directory.appendingPathComponent("b.json"))
        #expect(throws: AdvisoryError.self) { try AdvisoryDirectory.load(directory.path) }
        do {
            _ = try AdvisoryDirectory.load(directory.path)
        } catch {
            #expect("\(error)".contains("b.json: advisory X-1 is also in"), "\(error)")
        }
        try Data("{".utf8).write(to: directory.appendingPathComponent("b.json"))
        do {
            _ = try AdvisoryDirectory.load(directory.path)
            Issue.record("a malformed file was accepted")
        } catch {
            #expect("\(error)".contains("b.json"), "\(error)")
        }
    }
}
