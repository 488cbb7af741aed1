import Foundation
@testable import RampartRegex

/// Deterministic generator so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random small patterns and inputs over an alphabet where they interact a lot.
enum RandomPatterns {
    static let leaves: [HIR] = [
        H.lit("a"), H.lit("b"), H.lit("ab"), H.lit("ba"), H.lit("é"), H.chars("ab"), H.set(0x61...0x63), H.dot,
        H.word, H.set(0x62...0x10FFFF), H.caseless("a"), H.lit(" "), H.chars("\n1"),
        H.start, H.end, H.lineStart, H.lineEnd, H.boundary, H.notBoundary, .empty,
    ]

    static func pattern(depth: Int, using rng: inout SplitMix64) -> HIR {
        if depth <= 0 || rng.next() % 3 == 0 { return leaves[Int(rng.next() % UInt64(leaves.count))] }
        let greedy = rng.next() % 3 != 0
        switch rng.next() % 9 {
        case 0: return H.star(pattern(depth: depth - 1, using: &rng), greedy: greedy)
        case 1: return H.plus(pattern(depth: depth - 1, using: &rng), greedy: greedy)
        case 2: return H.quest(pattern(depth: depth - 1, using: &rng), greedy: greedy)
        case 3:
            let low = Int(rng.next() % 3)
            let high: Int? = rng.next() % 4 == 0 ? nil : low + Int(rng.next() % 3)
            return H.rep(pattern(depth: depth - 1, using: &rng), low, high, greedy: greedy)
        case 4: return H.group(pattern(depth: depth - 1, using: &rng))
        case 5, 6:
            return .concatenation((0..<(2 + Int(rng.next() % 2))).map { _ in pattern(depth: depth - 1, using: &rng) })
        default:
            return .alternation((0..<(2 + Int(rng.next() % 2))).map { _ in pattern(depth: depth - 1, using: &rng) })
        }
    }

    static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("b".utf8), Array("c".utf8), Array(" ".utf8), Array("\n".utf8), Array("é".utf8),
        Array("1".utf8), Array("A".utf8), [0xFF], Array("ab".utf8),
    ]

    static func input(using rng: inout SplitMix64) -> [UInt8] {
        var result: [UInt8] = []
        for _ in 0..<Int(rng.next() % 10) { result += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return result
    }
}

/// Asks RE2 (through `scripts/re2-oracle.py`) about many cases in one process. Nil when RE2 is not installed.
enum RE2Oracle {
    struct Answer: Decodable {
        var start: Int?
        var end: Int?
        var indices: [Int]?
        var error: String?
    }

    static var scriptURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/re2-oracle.py")
    }

    static var isAvailable: Bool {
        run(Array("import re2\n".utf8), arguments: ["-"]) != nil
    }

    /// RE2 is required in CI; locally a missing RE2 skips the comparison.
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func ask(_ cases: [[String: Any]]) -> [Answer]? {
        var lines = Data()
        for item in cases {
            guard let data = try? JSONSerialization.data(withJSONObject: item) else { return nil }
            lines.append(data)
            lines.append(0x0A)
        }
        guard let output = run(Array(lines), arguments: [scriptURL.path]) else { return nil }
        let decoder = JSONDecoder()
        return output.split(separator: 0x0A).compactMap { try? decoder.decode(Answer.self, from: Data($0)) }
    }

    private static func run(_ input: [UInt8], arguments: [String]) -> Data? {
        let directory = FileManager.default.temporaryDirectory
        let inputURL = directory.appendingPathComponent("re2-oracle-\(UUID().uuidString).in")
        defer { try? FileManager.default.removeItem(at: inputURL) }
        guard FileManager.default.createFile(atPath: inputURL.path, contents: Data(input)),
            let inputHandle = try? FileHandle(forReadingFrom: inputURL)
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardInput = inputHandle
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}

extension Array where Element == UInt8 {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
