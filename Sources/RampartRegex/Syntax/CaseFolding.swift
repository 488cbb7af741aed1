/// Unicode simple case folding, as RE2 applies it to case-insensitive literals and classes.
///
/// Scalars that fold together (CaseFolding.txt statuses C and S) form an orbit, e.g. `k K U+212A` or `s S U+017F`;
/// a case-insensitive pattern accepts every member of the orbit of each scalar it names.
enum CaseFolding {
    /// Every scalar in the orbit of `value`, `value` first; just `[value]` when it has no case variants.
    static func orbit(of value: UInt32) -> [UInt32] {
        var members = [value]
        forEachOtherMember(ofOrbit: value) { members.append($0) }
        return members
    }

    /// Calls `body` with each member of `value`'s orbit other than `value` itself, without allocating.
    @inline(__always)
    static func forEachOtherMember(ofOrbit value: UInt32, _ body: (UInt32) -> Void) {
        guard var next = nextInOrbit(value) else { return }
        // Orbits are short cycles (at most 4 members); the bound guards against a malformed table.
        var steps = 0
        while next != value && steps < 8 {
            body(next)
            guard let following = nextInOrbit(next) else { break }
            next = following
            steps += 1
        }
    }

    /// `set` plus the orbit of each of its scalars.
    static func closure(of set: CodePointSet) -> CodePointSet {
        let table = UnicodeTables.caseOrbitNext
        let entryCount = table.count / 2
        var additions: [ClosedRange<UInt32>] = []
        for range in set.ranges {
            var entry = firstEntry(atOrAfter: range.lowerBound)
            while entry < entryCount && table[2 * entry] <= range.upperBound {
                forEachOtherMember(ofOrbit: table[2 * entry]) { member in
                    // Members inside the range being walked are in the set already (the common ASCII case).
                    if !range.contains(member) && !set.contains(member) { additions.append(member...member) }
                }
                entry += 1
            }
        }
        return additions.isEmpty ? set : set.union(CodePointSet(additions))
    }

    /// The next member of `value`'s orbit, or nil when `value` has no case variants.
    static func nextInOrbit(_ value: UInt32) -> UInt32? {
        let table = UnicodeTables.caseOrbitNext
        let entry = firstEntry(atOrAfter: value)
        guard entry < table.count / 2, table[2 * entry] == value else { return nil }
        return table[2 * entry + 1]
    }

    /// Index of the first table entry whose scalar is `>= value` (binary search).
    private static func firstEntry(atOrAfter value: UInt32) -> Int {
        let table = UnicodeTables.caseOrbitNext
        var low = 0
        var high = table.count / 2
        while low < high {
            let mid = (low + high) / 2
            if table[2 * mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The orbit of each ASCII scalar as a class (`[Kk\x{212A}]`), nil when it has no case variants. Built once:
    /// case-insensitive keywords are most of a WAF ruleset's text. (Sets, not `HIR` nodes: indirect enum payloads
    /// carry tag bits that hide them from LeakSanitizer, which would report a global of them as leaked.)
    static let asciiOrbitClasses: [CodePointSet?] = (0..<128).map { (value: UInt32) -> CodePointSet? in
        let orbit = CaseFolding.orbit(of: value)
        return orbit.count > 1 ? CodePointSet(orbit.map { $0...$0 }) : nil
    }
}
