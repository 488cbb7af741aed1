import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Rampart
import RampartHummingbird
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The dashboard in a real browser: headless Chromium driven by selenium (scripts/browser-test-dashboard.py)
/// against a live platform and a real Hummingbird app protected by Rampart, connected by the agent transport. Needs Debian's `chromium` and `chromium-driver` and
/// `selenium` from PyPI (.ci/run installs them); skipped locally without them, failing in CI.
@Suite struct BrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var browserAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
            && (try? runQuietly(["/usr/bin/env", "python3", "-c", "import selenium"])) == 0
    }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/browser-test-dashboard.py").path
    }

    /// Runs a process to completion without blocking a Swift concurrency thread.
    static func run(_ arguments: [String], timeout: TimeInterval = 180) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputCollector()
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { if process.isRunning { process.terminate() } }
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        output.append(pipe.fileHandleForReading.readDataToEndOfFile())
        return (status, output.text)
    }

    /// Synchronous variant for the availability check (runs before any server starts).
    static func runQuietly(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    final class OutputCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func append(_ chunk: Data) {
            lock.lock()
            data.append(chunk)
            lock.unlock()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test(.enabled(if: BrowserTests.browserAvailable || BrowserTests.isCI, "needs chromium, chromium-driver and selenium"))
    func dashboardInHeadlessChromiumWithAProtectedApp() async throws {
        guard Self.browserAvailable else {
            Issue.record("CI must install chromium, chromium-driver and selenium (.ci/run)")
            return
        }
        try await PlatformHarness.run(.sqlite) { harness, client in
            let port = try #require(client.port)
            // A real app protected by Rampart (monitor mode), its agent reporting to the platform every 300 ms.
            var logger = Logger(label: "rampart.browser-test")
            logger.logLevel = .warning
            var configuration = RampartConfiguration()
            configuration.mode = .monitor
            configuration.wafBudget = .milliseconds(50)
            configuration.appName = "browser"
            configuration.environment = "test"
            configuration.platformURL = "http://127.0.0.1:\(port)"
            configuration.apiKey = harness.apiKey
            configuration.heartbeatInterval = .milliseconds(300)
            configuration.platformBackoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(300))
            let agent = RampartAgent(configuration: configuration, logger: logger)
            let transport = try #require(agent.makePlatformTransport(framework: "Hummingbird 2"))
            let running = Task { await transport.run() }
            defer { running.cancel() }
            let router = Router()
            router.add(middleware: RampartRouterMiddleware(agent: agent))
            router.get("/comment") { _, _ in "thanks" }
            let protectedApp = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            try await protectedApp.test(.live) { appClient in
                let appPort = try #require(appClient.port)
                let password = try await harness.store.createUser(username: "browser", role: .admin, hasher: PlatformHarness.testHasher)
                var arguments = [
                    "/usr/bin/env", "python3", Self.scriptPath, "--url", "http://127.0.0.1:\(port)", "--user", "browser",
                    "--password", password, "--app-id", harness.app.appID, "--protected-app", "http://127.0.0.1:\(appPort)",
                ]
                if let directory = ProcessInfo.processInfo.environment["RAMPART_SCREENSHOT_DIR"] {
                    arguments += ["--screenshot-dir", directory]
                }
                let result = try await Self.run(arguments)
                #expect(result.status == 0, "browser script failed:\n\(result.output)")
            }
            // What the browser saw is what was stored: the monitored attack and at least one blocked repeat.
            let stored = try await harness.store.events(EventFilter(since: Date().addingTimeInterval(-3600), until: Date().addingTimeInterval(60), appID: harness.app.appID))
            #expect(stored.contains { !$0.event.blocked && $0.event.rules.contains { $0.value.contains("<script>alert(1)</script>") } })
            #expect(stored.contains { $0.event.blocked })
            #expect(agent.mode(forCategory: "xss") == .block)
        }
    }
}
