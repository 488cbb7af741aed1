import Foundation

/// Runs a comparison script from `scripts/` against the built `rampart` executable (RE2 and ddtrace live in
/// Python, so these tests drive the engine through `rampart regex batch`).
enum ReferenceScript {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// In CI (`CI=true`) a missing prerequisite fails the test; locally it skips it.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The `rampart` executable next to the test bundle (the same build), or in `.build/debug`.
    static var rampartExecutable: URL? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var candidates = [testBinary.deletingLastPathComponent().appendingPathComponent("rampart")]
        // A Swift Testing runner may live inside the .xctest bundle directory.
        candidates.append(testBinary.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("rampart"))
        candidates.append(packageRoot.appendingPathComponent(".build/debug/rampart"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func pythonModuleAvailable(_ module: String) -> Bool {
        (try? run(["python3", "-c", "import \(module)"]).status) == 0
    }

    /// Runs `arguments` (through /usr/bin/env) from the package root; returns the exit status and stdout+stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The first line of `output` that is a JSON object, decoded (the scripts print their figures first).
    static func summary(of output: String) -> [String: Any]? {
        for line in output.split(separator: "\n") where line.hasPrefix("{") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                return object
            }
        }
        return nil
    }
}
