import Benchmark
import RampartRegex

/// RampartRegex benchmarks (issue 2 item 5): WAF-style patterns over benign text, and pathological patterns whose
/// time must stay linear in the input. scripts/bench-regex.sh times the same kinds of cases with RE2 side by side.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    for (label, size) in [("1KB", 1 << 10), ("100KB", 100 << 10), ("1MB", 1 << 20)] {
        let text = BenignText.make(size: size)
        for (name, pattern, options) in RegexCases.wafStyle {
            guard let regex = try? SafeRegex(pattern, options: options) else { continue }
            Benchmark("waf/\(name)/\(label)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(regex.matches(text)) }
            }
        }
        let patterns = RegexCases.wafStyle.map { RegexSet.Pattern($0.1, options: $0.2) }
        if let set = try? RegexSet(patterns) {
            Benchmark("waf/all-as-set/\(label)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(set.matchingIndices(in: text)) }
            }
        }
    }

    for (label, size) in [("10KB", 10 << 10), ("100KB", 100 << 10), ("1MB", 1 << 20)] {
        for (name, pattern, fill, tail) in RegexCases.pathological {
            let input = String(repeating: fill, count: size - tail.utf8.count) + tail
            guard let regex = try? SafeRegex(pattern) else { continue }
            Benchmark("pathological/\(name)/\(label)") { benchmark in
                for _ in benchmark.scaledIterations { blackHole(regex.firstMatch(in: input)) }
            }
        }
    }

    Benchmark("compile/waf-style-set") { benchmark in
        let patterns = RegexCases.wafStyle.map { RegexSet.Pattern($0.1, options: $0.2) }
        for _ in benchmark.scaledIterations { blackHole(try? RegexSet(patterns)) }
    }
}

enum RegexCases {
    /// Keyword alternations (case-insensitive), character-class runs and bounded repeats, as WAF rules use them.
    static let wafStyle: [(String, String, RegexOptions)] = [
        ("sql-keywords", #"\b(?:union\s+(?:all\s+)?select|insert\s+into|drop\s+table|information_schema|sleep\s*\()"#,
         .caseInsensitive),
        ("sql-functions", #"(?:select|union|insert|update|delete|drop|exec|declare|cast|convert|concat|benchmark|waitfor)\s*[(\s]+[\w@]"#,
         .caseInsensitive),
        ("xss-tags", #"<(?:script|iframe|object|embed|svg)[^>]*>|javascript:|\bon(?:error|load|click|mouseover|focus)\s*="#,
         .caseInsensitive),
        ("path-traversal", #"(?:\.\./|\.\.\\|%2e%2e%2f|%2e%2e/){2,}"#, .caseInsensitive),
        ("control-chars", #"[\x00-\x08\x0b\x0c\x0e-\x1f]"#, []),
        ("long-token", #"[a-zA-Z0-9_\-]{80,}"#, []),
        ("shell-commands", #"(?:^|[;&|`]\s*)(?:cat|wget|curl|nc|bash|sh|powershell)\b[^\n]{0,40}(?:/etc/passwd|\|\s*sh|-e\s)"#,
         .caseInsensitive),
        ("bounded-repeats", #"\b\d{3}-\d{2}-\d{4}\b|\b(?:\d{4}[ -]?){3}\d{4}\b"#, []),
    ]

    /// Patterns that take exponential time in backtracking engines, with the input that triggers it.
    static let pathological: [(String, String, String, String)] = [
        ("nested-plus", "(a+)+$", "a", "b"),
        ("alternation-star", "(a|aa)*b", "a", ""),
        ("double-plus", "(x+x+)+y", "x", ""),
        ("dot-star-12", "(.*a){12}", "a", ""),
    ]
}

/// Deterministic benign text: common words, numbers and a few URL/JSON fragments.
enum BenignText {
    static let words = ("the of and to in is that for it as with was on be by this are from at or an have not they "
        + "which one you had her all were there when can said use each she how their will other about out many then "
        + "them these some would make like him into time has look two more write go see number way could people my "
        + "than first water been call who oil its now find long down day did get come made may part order user "
        + "account settings profile search results page shipping address city country email phone value item")
        .split(separator: " ").map(String.init)
    static let fragments = ["id=42&sort=asc", #"{"name": "Ann", "age": 31}"#, "/api/v1/items/17", "e-mail:"]

    static func make(size: Int) -> String {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var text = ""
        text.reserveCapacity(size + 64)
        while text.utf8.count < size {
            let roll = next() % 100
            if roll < 85 {
                text += words[Int(next() % UInt64(words.count))]
            } else if roll < 92 {
                text += String(next() % 100_000)
            } else if roll < 96 {
                text += fragments[Int(next() % UInt64(fragments.count))]
            } else {
                text += [".", ",", "!", "?", ";", "\n"][Int(next() % 6)]
            }
            text += " "
        }
        return String(text.utf8.prefix(size)) ?? text
    }
}
