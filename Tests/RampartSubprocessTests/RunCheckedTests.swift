import Foundation
import Logging
import NIOConcurrencyHelpers
import Rampart
import RampartProtocol
import RampartTestSupport
import Subprocess
import Testing

@testable import RampartSubprocess

/// A path in the temporary directory that an injected command would create.
func markerPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("rampart-subprocess-\(UUID().uuidString)").path
}

@Suite("swift-subprocess launches checked against the current request (real processes)")
struct RunCheckedTests {
    @Test("argv form: an ordinary argument runs; a parameter choosing the program is refused in block mode")
    func argv() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        let benign = requestContext(path: "/tools", agent: agent, query: "host=example.com")
        let result = try await RequestSecurityContext.$current.withValue(benign) {
            try await runChecked(.name("echo"), arguments: ["example.com"], output: .string(limit: 1024))
        }
        #expect(result.terminationStatus.isSuccess)
        #expect(result.standardOutput == "example.com\n")

        let marker = markerPath()
        let attack = requestContext(path: "/tools", agent: agent, query: "tool=touch")
        await RequestSecurityContext.$current.withValue(attack) {
            await #expect(throws: RampartBlockedError.self) {
                _ = try await runChecked(.name("touch"), arguments: [marker], output: .discarded)
            }
        }
        attack.finish(status: 403)
        #expect(!FileManager.default.fileExists(atPath: marker))  // nothing was launched
        let event = collected.events.withLockedValue { $0.first { $0.kind == .rasp } }
        #expect(event?.blocked == true)
        #expect(event?.rules.first?.category == "command_injection")
    }

    @Test("argv form running `sh -c`: the script is checked as a shell command line")
    func argvShell() async throws {
        let (agent, _) = makeAgent(mode: .block)
        let marker = markerPath()
        let attack = requestContext(path: "/tools", agent: agent, query: "host=example.com%3B%20touch%20\(marker)")
        await RequestSecurityContext.$current.withValue(attack) {
            await #expect(throws: RampartBlockedError.self) {
                _ = try await runChecked(
                    .path("/bin/sh"), arguments: ["-c", "echo example.com; touch \(marker)"], output: .discarded)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("shell form: a benign command line runs; an injected one is refused in block mode")
    func shellBlock() async throws {
        let (agent, collected) = makeAgent(mode: .block)
        let benign = requestContext(path: "/tools", agent: agent, query: "host=example.com")
        let result = try await RequestSecurityContext.$current.withValue(benign) {
            try await runShellChecked("echo example.com", output: .string(limit: 1024))
        }
        #expect(result.standardOutput == "example.com\n")

        let marker = markerPath()
        let attack = requestContext(path: "/tools", agent: agent, query: "host=example.com%3B%20touch%20\(marker)")
        await RequestSecurityContext.$current.withValue(attack) {
            await #expect(throws: RampartBlockedError.self) {
                _ = try await runShellChecked("echo example.com; touch \(marker)", output: .discarded)
            }
        }
        attack.finish(status: 403)
        #expect(!FileManager.default.fileExists(atPath: marker))
        let event = collected.events.withLockedValue { $0.first { $0.kind == .rasp } }
        #expect(event?.rules.first?.category == "command_injection")
        #expect(event?.stack?.isEmpty == false)
    }

    @Test("monitor mode: the injected shell command is reported and runs")
    func shellMonitor() async throws {
        let (agent, collected) = makeAgent(mode: .monitor)
        let marker = markerPath()
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let attack = requestContext(path: "/tools", agent: agent, query: "host=example.com%3B%20touch%20\(marker)")
        let result = try await RequestSecurityContext.$current.withValue(attack) {
            try await runShellChecked("echo example.com; touch \(marker)", output: .discarded)
        }
        attack.finish(status: 200)
        #expect(result.terminationStatus.isSuccess)
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(collected.events.withLockedValue { $0.contains { $0.kind == .rasp && !$0.blocked } })
    }

    @Test("outside a request the wrappers only launch")
    func outsideRequest() async throws {
        let result = try await runShellChecked("echo a; echo b", output: .string(limit: 1024))
        #expect(result.standardOutput == "a\nb\n")
    }
}
