import Foundation
import HummingbirdTesting
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The advisory store, the vulnerable-dependencies page over real HTTP, and `rampart deps audit`'s function.
@Suite struct VulnerableDependenciesTests {
    @Test(arguments: Backend.available)
    func pageListsVulnerableApplicationsWithFixedVersions(_ backend: Backend) async throws {
        try await PlatformHarness.run(backend) { harness, client in
            let advisories = try AdvisoryDirectory.load(AdvisoryMatchingTests.seedDirectory)
            let first = try await harness.store.importAdvisories(advisories)
            // The PostgreSQL database is shared by every run against one server, so a previous run may have
            // imported them already; SQLite starts empty.
            #expect(first.added + first.replaced == advisories.count)
            if backend == .sqlite { #expect(first.added == advisories.count && first.replaced == 0) }
            let again = try await harness.store.importAdvisories(advisories)
            #expect(again.added == 0 && again.replaced == advisories.count)
            #expect(try await harness.store.advisories().map(\.id) == advisories.map(\.id))

            var login = PlatformHarness.sampleLogin(agentID: UUID().uuidString, environment: "production")
            login.dependencies = [
                Dependency(name: "https://github.com/vapor/vapor.git", version: "4.89.0"),
                Dependency(name: "https://github.com/apple/swift-nio-http2.git", version: "1.27.0"),
                Dependency(name: "https://github.com/apple/swift-nio.git", version: "2.101.2"),
                Dependency(name: "https://github.com/example/edge.git", version: "branch main"),
                // Reported names are data: this one matches vapor (the query is ignored) and must render as text.
                Dependency(name: "https://github.com/vapor/vapor.git?<script>alert(1)</script>", version: "4.89.0"),
            ]
            let response = try await harness.post(client, RampartProtocol.Endpoint.login, json: login)
            #expect(response.status == .ok)
            // A second environment that is up to date.
            var current = PlatformHarness.sampleLogin(agentID: UUID().uuidString, environment: "staging")
            current.dependencies = [Dependency(name: "https://github.com/vapor/vapor.git", version: "4.122.3")]
            #expect(try await harness.post(client, RampartProtocol.Endpoint.login, json: current).status == .ok)

            let (count, applications) = try await harness.store.vulnerableApplications()
            #expect(count == advisories.count)
            let production = try #require(applications.first { $0.appID == harness.app.appID && $0.environment == "production" })
            #expect(production.findings.map(\.advisoryID) == ["GHSA-r6r4-5pr8-gjcp", "GHSA-qppj-fm5r-hxr3", "GHSA-r6r4-5pr8-gjcp"])
            #expect(production.uncheckedDependencies.count == 1)
            #expect(applications.first { $0.appID == harness.app.appID && $0.environment == "staging" }?.findings.isEmpty == true)

            let username = "viewer-\(harness.app.appID.prefix(6))"
            let password = try await harness.store.createUser(username: username, role: .viewer, hasher: PlatformHarness.testHasher)
            var browser = DashboardTests.Browser(client: client)
            #expect(try await browser.get("/vulnerabilities").status == .seeOther)
            _ = try await browser.logIn(username, password)
            let page = try await browser.get("/vulnerabilities")
            #expect(page.status == .ok)
            let text = page.text
            for expected in [
                "GHSA-r6r4-5pr8-gjcp", "CVE-2024-21631", "4.90.0", "GHSA-qppj-fm5r-hxr3", "CVE-2023-44487", "1.28.0",
                "<code>4.89.0</code>", "<code>1.27.0</code>", "https://github.com/vapor/vapor.git", "production",
            ] {
                #expect(text.contains(expected), "page lacks \(expected)")
            }
            #expect(!text.contains("GHSA-3mwq-h3g6-ffhm"))
            #expect(text.contains("staging"))
            #expect(text.contains("1 dependencies pinned to a branch or revision were not checked"))
            #expect(!text.contains("<script>alert(1)</script>"))
            #expect(text.contains("vapor.git?&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    static func writeResolved(_ pins: [(String, String, String?)], version: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("Package-\(UUID().uuidString).resolved").path
        let entries = pins.map { identity, location, version in
            let state = version.map { #"{"revision": "abc", "version": "\#($0)"}"# } ?? #"{"revision": "abc", "branch": "main"}"#
            return #"{"identity": "\#(identity)", "kind": "remoteSourceControl", "location": "\#(location)", "state": \#(state)}"#
        }
        let json = #"{"originHash": "x", "pins": [\#(entries.joined(separator: ","))], "version": \#(version)}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func auditReportsFindingsAndExitStatus() throws {
        let vulnerable = try Self.writeResolved([
            ("swift-nio-http2", "https://github.com/apple/swift-nio-http2.git", "1.19.0"),
            ("hummingbird", "https://github.com/hummingbird-project/hummingbird.git", "2.28.1"),
            ("edge", "https://github.com/example/edge.git", nil),
        ], version: 3)
        defer { try? FileManager.default.removeItem(atPath: vulnerable) }
        let report = try DependencyAudit.run(packageResolvedPath: vulnerable, advisoriesPath: AdvisoryMatchingTests.seedDirectory)
        #expect(report.isVulnerable)
        #expect(report.dependencies == 3)
        #expect(report.findings.map(\.advisoryID) == ["GHSA-ccw9-q5h2-8c2w", "GHSA-q36x-r5x4-h4q6", "GHSA-qppj-fm5r-hxr3"])
        #expect(report.unchecked == ["https://github.com/example/edge.git (branch main)"])
        #expect(report.text.contains("3 advisories affect 1 of 3 dependencies"))
        #expect(report.text.contains("GHSA-ccw9-q5h2-8c2w (CVE-2022-24666)"))
        #expect(report.text.contains("fixed in: 1.19.2"))
        let decoded = try JSONDecoder().decode(DependencyAudit.Report.self, from: Data(try report.json().utf8))
        #expect(decoded == report)

        let clean = try Self.writeResolved([("swift-nio-http2", "https://github.com/apple/swift-nio-http2.git", "1.46.0")], version: 2)
        defer { try? FileManager.default.removeItem(atPath: clean) }
        let cleanReport = try DependencyAudit.run(packageResolvedPath: clean, advisoriesPath: AdvisoryMatchingTests.seedDirectory)
        #expect(!cleanReport.isVulnerable)
        #expect(cleanReport.text.hasPrefix("No known vulnerable dependency"))

        #expect(throws: PackageResolved.FormatError.self) {
            try DependencyAudit.run(packageResolvedPath: "/nonexistent/Package.resolved", advisoriesPath: AdvisoryMatchingTests.seedDirectory)
        }
        #expect(throws: AdvisoryError.self) { try DependencyAudit.run(packageResolvedPath: clean, advisoriesPath: "/nonexistent/advisories") }
    }
}
