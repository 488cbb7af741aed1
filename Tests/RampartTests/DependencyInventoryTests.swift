import Foundation
import RampartProtocol
import Testing

@testable import Rampart

/// The dependency inventory the agent sends at login, read from the app's `Package.resolved`.
@Suite struct DependencyInventoryTests {
    @Test func readsTheConfiguredPackageResolved() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("Package-\(UUID().uuidString).resolved").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let json = """
            {"originHash": "1", "version": 3, "pins": [
              {"identity": "vapor", "kind": "remoteSourceControl", "location": "https://github.com/vapor/vapor.git",
               "state": {"revision": "aa", "version": "4.89.0"}},
              {"identity": "edge", "kind": "remoteSourceControl", "location": "https://github.com/example/edge.git",
               "state": {"revision": "bb", "branch": "main"}}
            ]}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let (configuration, issues) = RampartConfiguration.parse(environment: ["RAMPART_PACKAGE_RESOLVED": path])
        #expect(issues.isEmpty)
        #expect(configuration.packageResolvedPath == path)
        let agent = RampartAgent(configuration: configuration)
        #expect(agent.resolvedDependencies() == [
            Dependency(name: "https://github.com/vapor/vapor.git", version: "4.89.0"),
            Dependency(name: "https://github.com/example/edge.git", version: "branch main"),
        ])
    }

    @Test func missingOrMalformedFilesGiveAnEmptyInventory() throws {
        var configuration = RampartConfiguration()
        configuration.packageResolvedPath = "/nonexistent/Package.resolved"
        #expect(RampartAgent(configuration: configuration).resolvedDependencies().isEmpty)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("Package-\(UUID().uuidString).resolved").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        configuration.packageResolvedPath = path
        #expect(RampartAgent(configuration: configuration).resolvedDependencies().isEmpty)
    }
}
