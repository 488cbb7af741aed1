/// Matching: the data structures behind libddwaf's list operators — Aho–Corasick phrase search (`phrase_match`) and
/// IP address sets (`ip_match`).

/// Multi-phrase search with libddwaf's `phrase_match` semantics (case-sensitive bytes).
///
/// libddwaf walks an Aho–Corasick trie with goto and fail links but, unlike textbook Aho–Corasick, reports only
/// states that are themselves the end of a phrase — it never follows output links. So a phrase that ends inside
/// a longer phrase's path is seen only if the walk later fails back onto it: with phrases `abcd` and `bc`, `abcx`
/// matches `bc` but `abc` matches nothing. This matcher walks the same way and reports the same match:
/// - without `wordBoundary`: the first phrase end the walk reaches;
/// - with `wordBoundary`: the longest match the walk reaches (the earliest among equals); it counts only when each
///   of its edges touches a non-word byte (not `[A-Za-z0-9_]`) on one side or the other — so a longest match
///   glued inside a word hides any other match.
///
/// Storage is flat arrays (a dense root row, sorted edge lists per state); matching allocates nothing.
public struct PhraseMatcher: Sendable {
    public let wordBoundary: Bool
    /// Number of distinct non-empty phrases.
    public let phraseCount: Int

    /// Root transitions for every byte; 0 = none (the root is state 0 and never a target).
    private let rootGoto: [Int32]
    /// Outgoing edges of state s: `edgeBytes[edgeStart[s]..<edgeStart[s + 1]]` (sorted) and their targets.
    private let edgeStart: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    private let failLink: [Int32]
    private let depth: [Int32]
    private let isTerminal: [Bool]

    public init(phrases: [String], wordBoundary: Bool = false) {
        self.init(phrases: phrases.map { Array($0.utf8) }, wordBoundary: wordBoundary)
    }

    /// Empty phrases are ignored (libddwaf cannot report them either).
    public init(phrases: [[UInt8]], wordBoundary: Bool = false) {
        self.wordBoundary = wordBoundary
        // Trie with sorted child lists.
        var children: [[(byte: UInt8, target: Int32)]] = [[]]
        var depth: [Int32] = [0]
        var isTerminal: [Bool] = [false]
        var distinct = 0
        for phrase in phrases where !phrase.isEmpty {
            var state = 0
            for byte in phrase {
                if let edge = children[state].first(where: { $0.byte == byte }) {
                    state = Int(edge.target)
                } else {
                    let next = Int32(children.count)
                    children.append([])
                    depth.append(depth[state] + 1)
                    isTerminal.append(false)
                    children[state].append((byte, next))
                    state = Int(next)
                }
            }
            if !isTerminal[state] { distinct += 1 }
            isTerminal[state] = true
        }
        phraseCount = distinct

        var rootGoto = [Int32](repeating: 0, count: 256)
        for edge in children[0] { rootGoto[Int(edge.byte)] = edge.target }
        var edgeStart: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        edgeStart.reserveCapacity(children.count + 1)
        for list in children {
            edgeStart.append(Int32(edgeBytes.count))
            for edge in list.sorted(by: { $0.byte < $1.byte }) {
                edgeBytes.append(edge.byte)
                edgeTargets.append(edge.target)
            }
        }
        edgeStart.append(Int32(edgeBytes.count))

        // Fail links, breadth first; the root's missing transitions loop back to the root.
        var failLink = [Int32](repeating: 0, count: children.count)
        var queue: [Int32] = children[0].map(\.target)
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            for edge in children[state] {
                var walk = Int(failLink[state])
                var target: Int32 = 0
                while true {
                    if walk == 0 {
                        target = rootGoto[Int(edge.byte)]
                        break
                    }
                    if let next = children[walk].first(where: { $0.byte == edge.byte }) {
                        target = next.target
                        break
                    }
                    walk = Int(failLink[walk])
                }
                failLink[Int(edge.target)] = target
                queue.append(edge.target)
            }
        }
        self.rootGoto = rootGoto
        self.edgeStart = edgeStart
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.failLink = failLink
        self.depth = depth
        self.isTerminal = isTerminal
    }

    public func firstMatch(in input: [UInt8]) -> Range<Int>? {
        input.withUnsafeBytes { firstMatch(in: $0) }
    }

    public func firstMatch(in input: String) -> Range<Int>? {
        var input = input
        return input.withUTF8 { firstMatch(in: UnsafeRawBufferPointer($0)) }
    }

    public func matches(_ input: UnsafeRawBufferPointer) -> Bool { firstMatch(in: input) != nil }

    /// The matched byte range, as libddwaf's `phrase_match` reports it (its highlight), or nil.
    public func firstMatch(in input: UnsafeRawBufferPointer) -> Range<Int>? {
        guard !input.isEmpty, phraseCount > 0 else { return nil }
        let longest = wordBoundary
        var best: Range<Int>? = nil
        let count = input.count
        var index = 0
        var state = 0
        while index < count {
            let byte = input[index]
            index += 1
            let target = rootGoto[Int(byte)]
            if target != 0 { state = Int(target); break }
        }
        if isTerminal[state] {
            Self.record(depth: depth[state], lastIndex: index - 1, into: &best)
            if !longest { return best }
        }
        while index < count {
            let byte = input[index]
            if let next = transition(from: state, on: byte) {
                index += 1
                state = next
            } else {
                let fail = Int(failLink[state])
                if fail == 0 {
                    // Back at the root: skip bytes no phrase starts with.
                    while index < count {
                        let byte = input[index]
                        index += 1
                        let target = rootGoto[Int(byte)]
                        if target != 0 { state = Int(target); break }
                    }
                } else {
                    state = fail
                }
            }
            if isTerminal[state] {
                Self.record(depth: depth[state], lastIndex: index - 1, into: &best)
                if !longest { return best }
            }
        }

        guard let match = best else { return nil }
        if wordBoundary {
            // Each edge needs a non-word byte on one side of it: inside the match or next to it.
            let start = match.lowerBound, last = match.upperBound - 1
            let before = start == 0 || Self.isBoundary(input[start]) || Self.isBoundary(input[start - 1])
            let after = last + 1 >= count || Self.isBoundary(input[last]) || Self.isBoundary(input[last + 1])
            guard before, after else { return nil }
        }
        return match
    }

    /// Keeps the longer of the current best and the match of `depth` bytes ending at `lastIndex` (earlier wins ties).
    @inline(__always) private static func record(depth: Int32, lastIndex: Int, into best: inout Range<Int>?) {
        let range = (lastIndex - Int(depth) + 1)..<(lastIndex + 1)
        if let current = best, range.count <= current.count { return }
        best = range
    }

    @inline(__always) private func transition(from state: Int, on byte: UInt8) -> Int? {
        var low = Int(edgeStart[state])
        var high = Int(edgeStart[state + 1])
        while low < high {
            let middle = (low + high) / 2
            let candidate = edgeBytes[middle]
            if candidate == byte { return Int(edgeTargets[middle]) }
            if candidate < byte { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// libddwaf's `isboundary`: anything but ASCII letters, digits and `_`.
    @inline(__always) static func isBoundary(_ byte: UInt8) -> Bool {
        !(ASCIIByte.isAlnum(byte) || byte == 0x5F)
    }
}
