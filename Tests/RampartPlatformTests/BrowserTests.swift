import Foundation
import RampartProtocol
import Testing

@testable import RampartPlatform

/// The dashboard in a real browser: headless Chromium driven by selenium (scripts/browser-test-dashboard.py)
/// against a live platform seeded over the agent API. Needs Debian's `chromium` and `chromium-driver` and
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
    func dashboardInHeadlessChromium() async throws {
        guard Self.browserAvailable else {
            Issue.record("CI must install chromium, chromium-driver and selenium (.ci/run)")
            return
        }
        try await PlatformHarness.run(.sqlite) { harness, client in
            let port = try #require(client.port)
            let agentID = UUID().uuidString
            _ = try await harness.login(client, agentID: agentID)
            var events = (0..<4).map { PlatformHarness.sampleEvent(at: Date().addingTimeInterval(Double(-$0) * 900), blocked: $0 == 0) }
            let xss = PlatformHarness.sampleEvent(ip: "198.51.100.23", category: "xss", value: "<script>alert(1)</script>", route: "/comment")
            events.append(xss)
            var revision = 0
            let seeded = try await harness.heartbeat(
                client, Heartbeat(agentID: agentID, sequence: 1, batches: [EventBatch(events: events)], metrics: AgentMetrics(), settingsRevision: revision))
            revision = seeded.settingsRevision
            let password = try await harness.store.createUser(username: "browser", role: .admin, hasher: PlatformHarness.testHasher)
            var arguments = [
                "/usr/bin/env", "python3", Self.scriptPath, "--url", "http://127.0.0.1:\(port)", "--user", "browser",
                "--password", password, "--app-id", harness.app.appID, "--xss-event", xss.eventID.uuidString,
                "--expected-attacks", String(events.count),
            ]
            if let directory = ProcessInfo.processInfo.environment["RAMPART_SCREENSHOT_DIR"] {
                arguments += ["--screenshot-dir", directory]
            }
            let result = try await Self.run(arguments)
            #expect(result.status == 0, "browser script failed:\n\(result.output)")

            // The change made in the browser reaches the agent at its next heartbeat.
            let next = try await harness.heartbeat(
                client, Heartbeat(agentID: agentID, sequence: 2, batches: [], metrics: AgentMetrics(), settingsRevision: revision))
            #expect(next.commands == [.setMode(category: "xss", mode: .block)])
        }
    }
}
