/// `Prefilter/` finds literals every match must contain, so most inputs are rejected by a fast byte scan before
/// any automaton runs.

/// One byte of a literal, or an ASCII letter that may appear in either case (`byte` is then lowercase).
struct LiteralUnit: Hashable, Sendable {
    var byte: UInt8
    var caseless: Bool
}

typealias LiteralString = [LiteralUnit]

/// Walks an `HIR` and derives literal facts from it.
///
/// For each node it computes `exact` — the finite set of strings the node matches, when small — and `required` —
/// a set of strings one of which occurs in every match. Both are bounded, so extraction stays linear.
enum LiteralExtractor {
    /// The searcher probes every literal of a set in each block, so large sets stay cheap (keyword lists with
    /// their non-ASCII case variants, such as `ſelect` for `(?i)select`, reach 20).
    static let maxSetSize = 24
    /// Products (`[ab][cd]…`) stay small: their members are near-duplicates, and deduplication is quadratic.
    static let maxProductSize = 8
    /// Longer literals add little selectivity and cost quadratic copying in long concatenations.
    static let maxLiteralLength = 12
    static let maxClassExpansion = 4

    struct Facts {
        var exact: [LiteralString]?
        var required: [LiteralString]?
    }

    /// The literal set the prefilter should look for, or nil when none is selective enough.
    static func requiredLiterals(of hir: HIR) -> [LiteralString]? {
        let facts = facts(of: hir)
        var best: [LiteralString]? = nil
        consider(facts.required, best: &best)
        consider(facts.exact, best: &best)
        guard let best, score(of: best) >= 2 else { return nil }
        return best
    }

    static func facts(of hir: HIR) -> Facts {
        switch hir {
        case .empty, .assertion:
            return Facts(exact: [[]], required: nil)
        case .noMatch:
            return Facts(exact: [], required: nil)
        case .literal(let scalars):
            var units: LiteralString = []
            for scalar in scalars {
                for byte in UTF8Sequences.encode(scalar.value) { units.append(LiteralUnit(byte: byte, caseless: false)) }
            }
            if units.count > maxLiteralLength { return Facts(exact: nil, required: [Array(units.prefix(maxLiteralLength))]) }
            return Facts(exact: [units], required: [units])
        case .characterClass(let set):
            // Case-insensitive ASCII letters are most classes in a WAF ruleset: their expansion is built once.
            if let first = set.ranges.first, first.lowerBound < 0x80, set.ranges.count <= 3 {
                let index = Int(first.lowerBound)
                if let folded = CaseFolding.asciiOrbitClasses[index], folded == set {
                    return Facts(exact: asciiCaseInsensitiveExpansions[index], required: nil)
                }
            }
            return Facts(exact: expand(set), required: nil)
        case .capture(_, _, let inner):
            return facts(of: inner)
        case .concatenation(let children):
            return concatenationFacts(children)
        case .alternation(let children):
            var exact: [LiteralString]? = []
            var required: [LiteralString]? = []
            for child in children {
                let childFacts = facts(of: child)
                exact = union(exact, childFacts.exact)
                var childRequired: [LiteralString]? = nil
                consider(childFacts.required, best: &childRequired)
                consider(childFacts.exact, best: &childRequired)
                required = union(required, childRequired)
                // Neither fact can come back once lost: skip the remaining branches.
                if exact == nil && required == nil { break }
            }
            if let set = required, set.isEmpty || set.contains(where: \.isEmpty) { required = nil }
            return Facts(exact: exact, required: required)
        case .repetition(let inner, let min, let max, _):
            if max == 0 { return Facts(exact: [[]], required: nil) }
            let innerFacts = facts(of: inner)
            if min <= 0 {
                if max == 1, let exact = innerFacts.exact { return Facts(exact: union(exact, [[]]), required: nil) }
                return Facts(exact: nil, required: nil)
            }
            var required: [LiteralString]? = nil
            consider(innerFacts.required, best: &required)
            consider(innerFacts.exact, best: &required)
            var exact: [LiteralString]? = nil
            if min == max, min <= maxLiteralLength, let innerExact = innerFacts.exact {
                exact = [[]]
                for _ in 0..<min { exact = exact.flatMap { product($0, innerExact) } }
            }
            return Facts(exact: exact, required: required)
        }
    }

    private static func concatenationFacts(_ children: [HIR]) -> Facts {
        var best: [LiteralString]? = nil
        var run: [LiteralString] = [[]]
        var allExact = true
        for child in children {
            let childFacts = facts(of: child)
            if let exact = childFacts.exact {
                if let combined = product(run, exact) {
                    run = combined
                } else {
                    allExact = false
                    consider(run, best: &best)
                    run = exact
                }
            } else {
                allExact = false
                consider(run, best: &best)
                consider(childFacts.required, best: &best)
                run = [[]]
            }
        }
        consider(run, best: &best)
        return Facts(exact: allExact ? run : nil, required: best)
    }

    /// `expand` of each class of `CaseFolding.asciiOrbitClasses` (nil where there is none).
    private static let asciiCaseInsensitiveExpansions: [[LiteralString]?] = CaseFolding.asciiOrbitClasses.map {
        $0.flatMap { expand($0) }
    }

    /// Expands a small class into literal alternatives, folding `[Aa]` into one caseless unit.
    private static func expand(_ set: CodePointSet) -> [LiteralString]? {
        var scalars: [UInt32] = []
        for range in set.ranges {
            if range.upperBound - range.lowerBound >= UInt32(maxClassExpansion) { return nil }
            for value in range where !(0xD800...0xDFFF).contains(value) && value <= 0x10FFFF {
                scalars.append(value)
                if scalars.count > maxClassExpansion { return nil }
            }
        }
        var result: [LiteralString] = []
        for value in scalars {
            if value >= 0x41 && value <= 0x5A && scalars.contains(value + 0x20) {
                result.append([LiteralUnit(byte: UInt8(value + 0x20), caseless: true)])
            } else if value >= 0x61 && value <= 0x7A && scalars.contains(value - 0x20) {
                continue
            } else {
                result.append(UTF8Sequences.encode(value).map { LiteralUnit(byte: $0, caseless: false) })
            }
        }
        return result
    }

    private static func product(_ left: [LiteralString], _ right: [LiteralString]) -> [LiteralString]? {
        guard left.count &* right.count <= maxProductSize else { return nil }
        var result: [LiteralString] = []
        result.reserveCapacity(left.count * right.count)
        for prefix in left {
            for suffix in right {
                if prefix.count + suffix.count > maxLiteralLength { return nil }
                result.append(prefix + suffix)
            }
        }
        return deduplicated(result)
    }

    private static func union(_ left: [LiteralString]?, _ right: [LiteralString]?) -> [LiteralString]? {
        guard let left, let right, left.count + right.count <= maxSetSize else { return nil }
        return deduplicated(left + right)
    }

    /// Sets are small (at most `maxSetSize`), so pairwise comparison is cheaper than hashing.
    private static func deduplicated(_ strings: [LiteralString]) -> [LiteralString] {
        var result: [LiteralString] = []
        result.reserveCapacity(strings.count)
        for string in strings where !result.contains(string) { result.append(string) }
        return result
    }

    /// Keeps whichever of `candidate` and `best` a scan would reject more inputs with.
    private static func consider(_ candidate: [LiteralString]?, best: inout [LiteralString]?) {
        guard let candidate, !candidate.isEmpty, !candidate.contains(where: \.isEmpty) else { return }
        guard let current = best else {
            best = candidate
            return
        }
        let candidateScore = score(of: candidate)
        let currentScore = score(of: current)
        if candidateScore > currentScore || (candidateScore == currentScore && candidate.count < current.count) {
            best = candidate
        }
    }

    /// How selective a literal set is: the weakest member decides, each extra member costs a little.
    static func score(of set: [LiteralString]) -> Double {
        guard let weakest = set.map(score(of:)).min() else { return 0 }
        return weakest - Double(set.count - 1) * 0.05
    }

    static func score(of literal: LiteralString) -> Double {
        var total = 0.0
        for unit in literal.prefix(16) { total += rarity(unit) }
        return total
    }

    /// A rough guess of how rare a byte is in web traffic: lowercase letters and spaces are common.
    static func rarity(_ unit: LiteralUnit) -> Double {
        let byte = unit.byte
        switch byte {
        case 0x20: return 0.5
        case 0x61...0x7A: return unit.caseless ? 0.8 : 1.0
        case 0x41...0x5A: return 1.5
        case 0x30...0x39: return 1.2
        case 0x2F, 0x2E, 0x2D, 0x3D, 0x26, 0x5F, 0x2C, 0x3A: return 1.5
        default: return 2.5
        }
    }
}
