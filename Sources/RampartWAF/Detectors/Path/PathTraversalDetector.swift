/// `lfi_detector`: path traversal and arbitrary file access in a path about to be opened.
///
/// `/` and `\` are both separators (Windows paths, and servers that normalise one into the other); `.`
/// segments and repeated separators are ignored; percent-decoding is the caller's job (parameters arrive decoded).
/// A request parameter that occurs in the path is an injection when
/// 1. its `..` segments climb above the directory the developer's prefix ends in (the text before the
///    parameter): `/var/www/uploads/` + `../../etc/passwd`, `images/../../x`;
/// 2. it is the start of the path and names a network share (`\\server\share`, `//server/share`);
/// 3. it is the start of the path, is absolute, and the path resolves to a sensitive system location
///    (`/etc/…`, `/proc/…`, `~/.ssh/…`, `C:\Windows\…`; see `SensitivePaths`);
/// 4. it carries a NUL byte, which truncates the path in C APIs.
/// Benign: file names (`my..file.txt` — `..` inside a name is not a segment), relative paths that stay inside
/// (`folder/../doc.md`), an absolute path to an ordinary file the app lets users pick.
public enum PathTraversalDetector {
    /// Parameters shorter than this many bytes are ignored (a single byte cannot traverse anything).
    public static let minimumParameterLength = 2

    public static func detect(path: String, parameters: [UserParameter]) -> InjectionFinding? {
        guard !parameters.isEmpty else { return nil }
        return path.withUTF8Bytes { pathBytes -> InjectionFinding? in
            var hit: (index: Int, range: Range<Int>, reason: String)?
            var cachedFacts: (index: Int, facts: ParameterFacts)?
            ParameterOccurrences.forEach(in: pathBytes, parameters: parameters, minimumLength: minimumParameterLength) {
                index, value, range in
                var facts = cachedFacts?.index == index ? cachedFacts?.facts ?? ParameterFacts(value) : ParameterFacts(value)
                let reason = judge(range, in: pathBytes, value: value, facts: &facts)
                cachedFacts = (index, facts)
                if let reason {
                    hit = (index, range, reason)
                    return false
                }
                return true
            }
            guard let hit else { return nil }
            return InjectionFinding(
                detector: "lfi_detector", parameter: parameters[hit.index], operation: path, location: hit.range,
                reason: hit.reason)
        }
    }

    @inline(__always) static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "/") || c == UInt8(ascii: "\\")
    }

    /// How a parameter's first or last segment joins the developer's text around it.
    enum Junction: Int {
        /// A separator (or the end of the path) is next to the parameter: its segment stands alone.
        case separator = 0
        /// The neighbouring segment is exactly `.`: a parameter edge segment `.` completes a `..`.
        case dot = 1
        /// The neighbouring segment is a name: the parameter's edge segment is part of that name.
        case name = 2
    }

    /// What is known about one parameter, computed once however many times it occurs.
    struct ParameterFacts {
        var containsNUL: Bool
        /// Whether `..` can appear in the parameter's segments at all (cheap rejection).
        var mayClimb: Bool
        /// Cached climbs, indexed by `start junction * 3 + end junction`: nil = not computed yet.
        var climbs: [Int?]?

        init(_ value: UnsafeBufferPointer<UInt8>) {
            var nul = false
            var dot = false
            for byte in value {
                if byte == 0 { nul = true }
                if byte == UInt8(ascii: ".") { dot = true }
            }
            containsNUL = nul
            mayClimb = dot
        }
    }

    static func junctionBefore(_ index: Int, in path: UnsafeBufferPointer<UInt8>) -> Junction {
        guard index > 0, !isSeparator(path[index &- 1]) else { return .separator }
        if path[index &- 1] == UInt8(ascii: "."), index == 1 || isSeparator(path[index &- 2]) { return .dot }
        return .name
    }

    static func junctionAfter(_ index: Int, in path: UnsafeBufferPointer<UInt8>) -> Junction {
        guard index < path.count, !isSeparator(path[index]) else { return .separator }
        if path[index] == UInt8(ascii: "."), index &+ 1 == path.count || isSeparator(path[index &+ 1]) { return .dot }
        return .name
    }

    static func judge(
        _ occurrence: Range<Int>, in path: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>,
        facts: inout ParameterFacts
    ) -> String? {
        let start = occurrence.lowerBound
        // 4. NUL byte.
        if facts.containsNUL {
            return "parameter contains a NUL byte, which truncates the path in C file APIs"
        }
        // 1. `..` segments climbing above the prefix directory.
        if facts.mayClimb {
            let before = junctionBefore(start, in: path)
            let after = junctionAfter(occurrence.upperBound, in: path)
            let slot = before.rawValue &* 3 &+ after.rawValue
            var climbs = facts.climbs ?? [Int?](repeating: nil, count: 9)
            let climb: Int
            if let cached = climbs[slot] {
                climb = cached
            } else {
                climb = climbLevels(value, before: before, after: after)
                climbs[slot] = climb
                facts.climbs = climbs
            }
            if climb > 0 {
                let prefix = String(decoding: UnsafeBufferPointer(rebasing: path[0..<start]), as: UTF8.self)
                let resolved = PathNormalizer.normalize(path)
                let anchor = prefix.isEmpty ? "the working directory" : "`\(ShellScriptCheck.truncated(prefix))`"
                return "parameter's `..` segments climb \(climb) level\(climb == 1 ? "" : "s") above \(anchor) (resolves to `\(ShellScriptCheck.truncated(resolved))`)"
            }
        }
        guard start == 0, occurrence.count >= 2, path.count >= 2 else { return nil }
        // 2. Network share.
        if isSeparator(path[0]), isSeparator(path[1]), path.count > 2, !isSeparator(path[2]), path[2] != UInt8(ascii: "?"),
           path[2] != UInt8(ascii: ".") {
            return "parameter supplies a network share path (UNC), which makes the server connect to another host"
        }
        // 3. Absolute path to a sensitive location.
        let absolute = isSeparator(path[0])
            || (path.count > 2 && isNameStart(path[0]) && path[1] == UInt8(ascii: ":") && isSeparator(path[2]))
            || path[0] == UInt8(ascii: "~")
        guard absolute else { return nil }
        let resolved = PathNormalizer.normalize(path)
        if let location = SensitivePaths.match(resolved) {
            return "parameter supplies the absolute path `\(ShellScriptCheck.truncated(resolved))`, \(location)"
        }
        return nil
    }

    /// How many levels the parameter's segments climb above the directory it starts in (0: none), given how its
    /// first and last segments join the developer's text.
    static func climbLevels(_ value: UnsafeBufferPointer<UInt8>, before: Junction, after: Junction) -> Int {
        var depth = 0
        var lowest = 0
        var segmentStart = 0
        var isFirst = true
        var i = 0
        let n = value.count
        while i <= n {
            if i == n || isSeparator(value[i]) {
                let length = i &- segmentStart
                let isLast = i == n
                let ownIsDot = length == 1 && value[segmentStart] == UInt8(ascii: ".")
                let ownIsDotDot = length == 2 && value[segmentStart] == UInt8(ascii: ".")
                    && value[segmentStart &+ 1] == UInt8(ascii: ".")
                var isDotDot = ownIsDotDot
                var isName = length > 0 && !ownIsDot && !ownIsDotDot
                // Edge segments joined with the developer's text (only when the parameter has text there).
                if length > 0 && ((isFirst && before != .separator) || (isLast && after != .separator)) {
                    let joinsBothSides = isFirst && isLast && before != .separator && after != .separator
                    let neighbour = isFirst && before != .separator ? before : after
                    isDotDot = !joinsBothSides && neighbour == .dot && ownIsDot
                    isName = !isDotDot
                }
                if isDotDot {
                    depth &-= 1
                    if depth < lowest { lowest = depth }
                } else if isName {
                    depth &+= 1
                }
                isFirst = false
                segmentStart = i &+ 1
            }
            i &+= 1
        }
        return -lowest
    }
}
