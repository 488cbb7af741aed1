import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Rampart

@Suite("Sink wrappers: real files, processes and HTTP calls")
struct SinkWrapperTests {
    func context(_ agent: RampartAgent, query: String) -> RequestSecurityContext {
        let context = agent.makeContext(for: request("/handler?\(query)"))
        _ = context.inspectHeaders()
        return context
    }

    @Test("ProtectedFiles reads a file named by input, refuses a traversal to /etc/passwd in block mode")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("report".utf8).write(to: directory.appendingPathComponent("report.txt"))
        let (agent, _) = makeAgent(mode: .block)

        let benign = context(agent, query: "name=report.txt")
        let contents = try RequestSecurityContext.$current.withValue(benign) {
            try ProtectedFiles.contents(atPath: directory.appendingPathComponent("report.txt").path)
        }
        #expect(String(decoding: contents, as: UTF8.self) == "report")

        let attack = context(agent, query: "name=..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd")
        RequestSecurityContext.$current.withValue(attack) {
            #expect(throws: RampartBlockedError.self) {
                _ = try ProtectedFiles.contents(atPath: directory.path + "/../../../../../../etc/passwd")
            }
        }
    }

    @Test("Process.runChecked launches ordinary commands and refuses an injected shell command")
    func processes() throws {
        let (agent, _) = makeAgent(mode: .block)
        let benign = context(agent, query: "host=example.com")
        try RequestSecurityContext.$current.withValue(benign) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "echo example.com > /dev/null"]
            try process.runChecked()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let attack = context(agent, query: "host=example.com%3B%20cat%20%2Fetc%2Fpasswd")
        RequestSecurityContext.$current.withValue(attack) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ping -c 1 example.com; cat /etc/passwd"]
            #expect(throws: RampartBlockedError.self) { try process.runChecked() }
            #expect(!process.isRunning)
        }
    }

    @Test("HTTPClient.executeChecked calls ordinary URLs and refuses a URL pointed at an internal address")
    func outgoingHTTP() async throws {
        let router = Router()
        router.get("/items") { _, _ in "items" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let (agent, _) = makeAgent(mode: .block)
            let benign = context(agent, query: "page=2")
            let response = try await RequestSecurityContext.$current.withValue(benign) {
                try await HTTPClient.shared.executeChecked(HTTPClientRequest(url: "http://127.0.0.1:\(port)/items"))
            }
            #expect(response.status.code == 200)
            let attack = context(agent, query: "url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F")
            await RequestSecurityContext.$current.withValue(attack) {
                await #expect(throws: RampartBlockedError.self) {
                    _ = try await HTTPClient.shared.executeChecked(
                        HTTPClientRequest(url: "http://169.254.169.254/latest/meta-data/"), timeout: .seconds(1))
                }
            }
        }
    }

    @Test("redirect targets are resolved against the current URL")
    func redirectResolution() {
        #expect(HTTPClient.resolve(location: "https://b.example/x", against: "http://a.example/p") == "https://b.example/x")
        #expect(HTTPClient.resolve(location: "/root", against: "http://a.example/dir/page?q=1") == "http://a.example/root")
        #expect(HTTPClient.resolve(location: "next", against: "http://a.example/dir/page") == "http://a.example/dir/next")
        #expect(HTTPClient.resolve(location: "//c.example/y", against: "https://a.example/") == "https://c.example/y")
    }
}
