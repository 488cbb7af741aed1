/// Reads ModSecurity's configuration language (SecLang) as used by the OWASP Core Rule Set: the directives
/// `SecRule`, `SecAction` and `SecMarker`, with line continuations, quoting and comments. It only splits text
/// into directives and their parts; `CRSImporter` gives them meaning.
struct SecLangDirective: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `SecRule VARIABLES OPERATOR [ACTIONS]`.
        case rule(variables: String, operator: String, actions: [SecLangAction])
        /// `SecAction ACTIONS` (unconditional; CRS uses it for initialisation and bookkeeping).
        case action([SecLangAction])
        /// `SecMarker NAME` (a `skipAfter` target).
        case marker(String)
        /// Any other directive (engine settings, component signatures...), kept by name for the report.
        case other(name: String)
    }

    var kind: Kind
    /// File name and 1-based line where the directive starts, for messages.
    var file: String
    var line: Int
}

/// One `name:value` (or bare `name`) item of an action list, e.g. `id:942100`, `t:lowercase`, `block`.
struct SecLangAction: Sendable, Equatable {
    var name: String
    var value: String?
}

enum SecLangParser {
    /// Splits a configuration file into directives. Never fails: text it cannot read becomes `.other`.
    static func parse(_ text: String, file: String) -> [SecLangDirective] {
        var directives: [SecLangDirective] = []
        for (logical, line) in logicalLines(text) {
            let words = splitWords(logical)
            guard let name = words.first else { continue }
            let kind: SecLangDirective.Kind
            switch name {
            case "SecRule" where words.count >= 3:
                kind = .rule(variables: words[1], operator: words[2], actions: words.count > 3 ? parseActions(words[3]) : [])
            case "SecAction" where words.count >= 2:
                kind = .action(parseActions(words[1]))
            case "SecMarker" where words.count >= 2:
                kind = .marker(words[1])
            default:
                kind = .other(name: name)
            }
            directives.append(SecLangDirective(kind: kind, file: file, line: line))
        }
        return directives
    }

    /// Joins continuation lines (a trailing backslash) and drops comments and blank lines.
    /// Returns each logical line with the number of the physical line it starts on.
    static func logicalLines(_ text: String) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var startLine = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if current.isEmpty {
                let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                startLine = lineNumber
            }
            if line.hasSuffix("\\") {
                current += line.dropLast()
                continue
            }
            current += line
            result.append((current, startLine))
            current = ""
        }
        if !current.isEmpty { result.append((current, startLine)) }
        return result
    }

    /// Splits a directive into words: runs of non-space characters, or double-quoted strings in which `\"`
    /// stands for a quote (other backslashes are kept: they belong to the regex or the value).
    static func splitWords(_ line: String) -> [String] {
        var words: [String] = []
        var iterator = Array(line.unicodeScalars)[...]
        while let first = iterator.first {
            if first == " " || first == "\t" { iterator = iterator.dropFirst(); continue }
            var word = String.UnicodeScalarView()
            if first == "\"" {
                iterator = iterator.dropFirst()
                while let scalar = iterator.first {
                    iterator = iterator.dropFirst()
                    if scalar == "\\", let next = iterator.first, next == "\"" {
                        word.append(next)
                        iterator = iterator.dropFirst()
                    } else if scalar == "\"" {
                        break
                    } else {
                        word.append(scalar)
                    }
                }
            } else {
                while let scalar = iterator.first, scalar != " " && scalar != "\t" {
                    word.append(scalar)
                    iterator = iterator.dropFirst()
                }
            }
            words.append(String(word))
        }
        return words
    }

    /// Parses `id:1,phase:2,t:none,msg:'a, b',block` — commas inside single quotes do not split.
    static func parseActions(_ text: String) -> [SecLangAction] {
        var items: [String] = []
        var current = String.UnicodeScalarView()
        var inQuote = false
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "'" && previous != "\\" { inQuote.toggle() }
            if scalar == "," && !inQuote {
                items.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
            previous = scalar
        }
        items.append(String(current))
        return items.compactMap { item in
            let trimmed = item.trimmingSpaces()
            guard !trimmed.isEmpty else { return nil }
            guard let colon = trimmed.firstIndex(of: ":") else { return SecLangAction(name: trimmed, value: nil) }
            let name = String(trimmed[..<colon]).trimmingSpaces()
            var value = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces()
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                value = String(value.dropFirst().dropLast())
            }
            return SecLangAction(name: name, value: value)
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
