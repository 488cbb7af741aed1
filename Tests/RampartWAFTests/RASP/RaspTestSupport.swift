import Foundation
@testable import RampartWAF

/// Shorthands for the RASP detector tests.
enum RaspTestSupport {
    /// Query parameters `q0`, `q1`, ... with the given values.
    static func query(_ values: String...) -> [UserParameter] {
        values.enumerated().map { UserParameter(value: $1, address: "server.request.query", keyPath: [.key("q\($0)"), .index(0)]) }
    }

    /// The package root: the nearest folder above this file holding Package.swift.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath)
    }()

    /// A file of the shared corpus: `../shared/corpus` beside the clone (CI), or `../../shared/corpus` for a
    /// worktree nested in a folder of worktrees.
    static func corpusFile(_ name: String) -> URL {
        let candidates = ["../shared/corpus", "../../shared/corpus"].map {
            packageRoot.appendingPathComponent($0).appendingPathComponent(name).standardizedFileURL
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }
}
