import Foundation

/// Where the shared corpora live: `../shared/corpus` beside the package root (as CI clones it), or one level higher
/// when the package is a git worktree nested in a folder of worktrees.
enum SQLCorpusLocation {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func file(_ name: String) -> URL {
        let candidates = ["../shared/corpus", "../../shared/corpus"].map {
            packageRoot.appendingPathComponent($0).appendingPathComponent(name).standardizedFileURL
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }
}
