/// The shell language a command line is written in.
public enum ShellDialect: String, Sendable, CaseIterable {
    /// POSIX `sh` and its relatives (bash, dash, zsh, ksh, busybox ash).
    case posix
    /// Windows `cmd.exe /c`.
    case cmd
    /// PowerShell `-Command`.
    case powershell
}

/// What one byte of a command line is once the shell has parsed it.
enum ShellByteRole: UInt8 {
    /// An unquoted blank between words.
    case blank = 0
    /// Part of an argument word (literal, quoted or escaped), or of a here-document body.
    case word = 1
    /// Part of the word that names the program a simple command runs.
    case commandName = 2
    /// `;` `&` `|` `&&` `||` newline `(` `)` and other list/pipeline operators.
    case commandSeparator = 3
    /// `<` `>` `>>` `<<` `<<<` `>&` `&>` ...
    case redirection = 4
    /// The delimiters of `$( )`, backticks, `${ }`, `$name`, `%name%`: text the shell replaces.
    case substitution = 5
    /// A `#` comment (or everything after the nesting limit, which is treated as hostile).
    case comment = 6
    /// The line that ends a here-document.
    case heredocDelimiter = 7

    /// Whether a parameter containing this byte changes the structure of the command.
    @inline(__always) var isStructural: Bool { rawValue >= 3 }
    @inline(__always) var isWordLike: Bool { self == .word || self == .commandName }
}

/// A command line parsed into byte roles and word numbers: enough to tell, for any byte range, whether it stays
/// inside one word or adds shell syntax. Built once per check, in O(n), whatever the input.
struct ShellSyntaxMap {
    /// `ShellByteRole` raw values, one per byte.
    private(set) var roles: [UInt8]
    /// Word number of each byte; two word bytes with the same number belong to the same word.
    private(set) var words: [UInt32]
    /// `structuralPrefix[i]` = number of structural bytes before index `i` (count + 1 entries).
    private(set) var structuralPrefix: [UInt32]

    init(_ bytes: UnsafeBufferPointer<UInt8>, dialect: ShellDialect) {
        var lexer = ShellLexer(bytes: bytes, dialect: dialect)
        lexer.parseList(until: .end, depth: 0)
        roles = lexer.roles
        words = lexer.words
        var prefix = [UInt32](repeating: 0, count: bytes.count &+ 1)
        var running: UInt32 = 0
        for i in 0..<lexer.roles.count {
            if lexer.roles[i] >= ShellByteRole.commandSeparator.rawValue { running &+= 1 }
            prefix[i &+ 1] = running
        }
        structuralPrefix = prefix
    }

    @inline(__always) func role(at index: Int) -> ShellByteRole {
        ShellByteRole(rawValue: roles[index]) ?? .word
    }

    /// Number of structural bytes in `range` (which must lie inside the command line).
    @inline(__always) func structuralCount(in range: Range<Int>) -> UInt32 {
        structuralPrefix[range.upperBound] &- structuralPrefix[range.lowerBound]
    }
}

/// A recursive-descent lexer for POSIX sh, cmd.exe and PowerShell command lines that labels every byte.
/// Never fails: unterminated quotes and substitutions run to the end of the input, nesting deeper than
/// `maxDepth` marks the rest of the input as structural.
private struct ShellLexer {
    enum Terminator { case end, closeParen, backtick, closeBrace }

    struct PendingHeredoc {
        var delimiter: [UInt8]
        var quoted: Bool
        var stripTabs: Bool
    }

    static let maxDepth = 48

    let bytes: UnsafeBufferPointer<UInt8>
    let dialect: ShellDialect
    var end: Int
    var pos = 0
    var roles: [UInt8]
    var words: [UInt32]
    var wordCounter: UInt32 = 0
    var commandStart = true
    var expectRedirectTarget = false
    /// Set by `<<` / `<<-`: the next word is a here-document delimiter (value: strip leading tabs).
    var expectHeredocDelimiter: Bool?
    var pendingHeredocs: [PendingHeredoc] = []

    init(bytes: UnsafeBufferPointer<UInt8>, dialect: ShellDialect) {
        self.bytes = bytes
        self.dialect = dialect
        self.end = bytes.count
        self.roles = [UInt8](repeating: ShellByteRole.blank.rawValue, count: bytes.count)
        self.words = [UInt32](repeating: 0, count: bytes.count)
    }

    // MARK: Marking

    @inline(__always) mutating func mark(_ index: Int, _ role: ShellByteRole) {
        if index < end {
            roles[index] = role.rawValue
            words[index] = wordCounter
        }
    }

    @inline(__always) mutating func mark(_ range: Range<Int>, _ role: ShellByteRole) {
        var i = range.lowerBound
        let upper = min(range.upperBound, end)
        while i < upper {
            roles[i] = role.rawValue
            words[i] = wordCounter
            i &+= 1
        }
    }

    @inline(__always) func byte(at index: Int) -> UInt8? {
        index >= 0 && index < end ? bytes[index] : nil
    }

    var escapeCharacter: UInt8 {
        switch dialect {
        case .posix: UInt8(ascii: "\\")
        case .cmd: UInt8(ascii: "^")
        case .powershell: UInt8(ascii: "`")
        }
    }

    mutating func markRestAsHostile() {
        mark(pos..<end, .comment)
        pos = end
    }

    // MARK: Lists and operators

    mutating func parseList(until terminator: Terminator, depth: Int) {
        while pos < end {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                mark(pos, .blank)
                pos &+= 1
            case UInt8(ascii: "\r") where dialect != .posix:
                mark(pos, .blank)
                pos &+= 1
            case UInt8(ascii: "\n"):
                mark(pos, .commandSeparator)
                pos &+= 1
                startCommand()
                if !pendingHeredocs.isEmpty { readHeredocBodies(depth: depth) }
            case UInt8(ascii: "#") where dialect != .cmd && terminator != .closeBrace:
                let start = pos
                while pos < end && bytes[pos] != UInt8(ascii: "\n") { pos &+= 1 }
                mark(start..<pos, .comment)
            case UInt8(ascii: ";"):
                let start = pos
                pos &+= 1
                while pos < end, bytes[pos] == UInt8(ascii: ";") || bytes[pos] == UInt8(ascii: "&") { pos &+= 1 }
                mark(start..<pos, .commandSeparator)
                startCommand()
            case UInt8(ascii: "&"):
                if dialect == .posix, byte(at: pos &+ 1) == UInt8(ascii: ">") {
                    parseRedirection()
                } else {
                    let start = pos
                    pos &+= 1
                    if byte(at: pos) == UInt8(ascii: "&") { pos &+= 1 }
                    mark(start..<pos, .commandSeparator)
                    startCommand()
                }
            case UInt8(ascii: "|"):
                let start = pos
                pos &+= 1
                if let next = byte(at: pos), next == UInt8(ascii: "|") || next == UInt8(ascii: "&") { pos &+= 1 }
                mark(start..<pos, .commandSeparator)
                startCommand()
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                parseRedirection()
            case UInt8(ascii: "("):
                mark(pos, .commandSeparator)
                pos &+= 1
                startCommand()
                guard depth < Self.maxDepth else { markRestAsHostile(); return }
                parseList(until: .closeParen, depth: depth &+ 1)
                if byte(at: pos) == UInt8(ascii: ")") {
                    mark(pos, .commandSeparator)
                    pos &+= 1
                }
                commandStart = false
            case UInt8(ascii: ")"):
                if terminator == .closeParen { return }
                mark(pos, .commandSeparator)
                pos &+= 1
            case UInt8(ascii: "`") where terminator == .backtick:
                return
            case UInt8(ascii: "}") where terminator == .closeBrace:
                return
            case UInt8(ascii: "{") where dialect == .powershell, UInt8(ascii: "}") where dialect == .powershell:
                mark(pos, .commandSeparator)
                pos &+= 1
                startCommand()
            default:
                parseWord(terminator: terminator, depth: depth)
            }
        }
    }

    @inline(__always) mutating func startCommand() {
        commandStart = true
        expectRedirectTarget = false
    }

    mutating func parseRedirection() {
        let start = pos
        let first = bytes[pos]
        pos &+= 1
        var heredoc = false
        if first == UInt8(ascii: "&") {
            // `&>` / `&>>`
            pos &+= 1
            if byte(at: pos) == UInt8(ascii: ">") { pos &+= 1 }
        } else if byte(at: pos) == first {
            pos &+= 1
            if first == UInt8(ascii: "<") {
                if byte(at: pos) == UInt8(ascii: "<") {
                    pos &+= 1  // here-string
                } else if dialect == .posix {
                    heredoc = true
                    let stripTabs = byte(at: pos) == UInt8(ascii: "-")
                    if stripTabs { pos &+= 1 }
                    expectHeredocDelimiter = stripTabs
                }
            }
        }
        if !heredoc, let next = byte(at: pos),
           next == UInt8(ascii: "&") || next == UInt8(ascii: "|") || next == UInt8(ascii: ">") {
            pos &+= 1
        }
        mark(start..<pos, .redirection)
        expectRedirectTarget = true
    }

    // MARK: Words

    mutating func parseWord(terminator: Terminator, depth: Int) {
        wordCounter &+= 1
        let wordID = wordCounter
        let start = pos
        let isAssignment = commandStart && dialect == .posix && looksLikeAssignment(at: pos)
        let namesCommand = commandStart && !expectRedirectTarget && expectHeredocDelimiter == nil && !isAssignment
        let role: ShellByteRole = namesCommand ? .commandName : .word
        let escape = escapeCharacter
        while pos < end {
            let c = bytes[pos]
            if endsWord(c, terminator: terminator) { break }
            if c == escape {
                mark(pos..<(pos &+ 2), role)
                pos = min(pos &+ 2, end)
                continue
            }
            switch c {
            case UInt8(ascii: "'") where dialect != .cmd:
                parseSingleQuoted(role: role)
            case UInt8(ascii: "\""):
                parseDoubleQuoted(role: role, depth: depth)
                wordCounter = wordID
            case UInt8(ascii: "$") where dialect != .cmd:
                parseDollar(role: role, depth: depth)
                wordCounter = wordID
            case UInt8(ascii: "`") where dialect == .posix:
                parseBacktick(depth: depth)
                wordCounter = wordID
            case UInt8(ascii: "%") where dialect == .cmd:
                parsePercentVariable(role: role)
            default:
                mark(pos, role)
                pos &+= 1
            }
        }
        if pos == start {
            // A byte no rule consumed: keep going, as part of the word.
            mark(pos, role)
            pos &+= 1
        }
        if let stripTabs = expectHeredocDelimiter {
            expectHeredocDelimiter = nil
            pendingHeredocs.append(heredocDelimiter(start..<pos, stripTabs: stripTabs))
        } else if expectRedirectTarget {
            expectRedirectTarget = false
        } else if namesCommand {
            commandStart = isKeyword(start..<pos)
        }
    }

    func endsWord(_ c: UInt8, terminator: Terminator) -> Bool {
        switch c {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"),
             UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
            return true
        case UInt8(ascii: "\r"):
            return dialect != .posix
        case UInt8(ascii: "`"):
            return terminator == .backtick
        case UInt8(ascii: "}"):
            return terminator == .closeBrace || dialect == .powershell
        case UInt8(ascii: "{"):
            return dialect == .powershell
        default:
            return false
        }
    }

    func looksLikeAssignment(at index: Int) -> Bool {
        var i = index
        guard i < end, isNameStart(bytes[i]) else { return false }
        i &+= 1
        while i < end, isNameContinue(bytes[i]) { i &+= 1 }
        return i < end && bytes[i] == UInt8(ascii: "=")
    }

    func isKeyword(_ range: Range<Int>) -> Bool {
        guard dialect == .posix, range.count <= 5 else { return false }
        let keywords: [StaticString] = ["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"]
        for keyword in keywords where keyword.utf8CodeUnitCount == range.count {
            var equal = true
            let pointer = keyword.utf8Start
            for offset in 0..<range.count where bytes[range.lowerBound &+ offset] != pointer[offset] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }

    mutating func parseSingleQuoted(role: ShellByteRole) {
        let start = pos
        pos &+= 1
        while pos < end {
            if bytes[pos] == UInt8(ascii: "'") {
                // PowerShell doubles a quote to escape it.
                if dialect == .powershell, byte(at: pos &+ 1) == UInt8(ascii: "'") {
                    pos &+= 2
                    continue
                }
                pos &+= 1
                break
            }
            pos &+= 1
        }
        mark(start..<pos, role)
    }

    mutating func parseDoubleQuoted(role: ShellByteRole, depth: Int) {
        let wordID = wordCounter
        mark(pos, role)
        pos &+= 1
        let escape: UInt8? = dialect == .cmd ? nil : escapeCharacter
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                if dialect == .powershell, byte(at: pos &+ 1) == UInt8(ascii: "\"") {
                    mark(pos..<(pos &+ 2), role)
                    pos &+= 2
                    continue
                }
                mark(pos, role)
                pos &+= 1
                return
            }
            if c == escape {
                mark(pos..<(pos &+ 2), role)
                pos = min(pos &+ 2, end)
                continue
            }
            switch c {
            case UInt8(ascii: "$") where dialect != .cmd:
                parseDollar(role: role, depth: depth)
                wordCounter = wordID
            case UInt8(ascii: "`") where dialect == .posix:
                parseBacktick(depth: depth)
                wordCounter = wordID
            case UInt8(ascii: "%") where dialect == .cmd:
                parsePercentVariable(role: role)
            default:
                mark(pos, role)
                pos &+= 1
            }
        }
    }

    /// At `$`: command substitution, arithmetic, parameter expansion, ANSI-C quoting, or a literal dollar.
    mutating func parseDollar(role: ShellByteRole, depth: Int) {
        let next = byte(at: pos &+ 1)
        switch next {
        case UInt8(ascii: "(")?:
            mark(pos..<(pos &+ 2), .substitution)
            pos &+= 2
            guard depth < Self.maxDepth else { markRestAsHostile(); return }
            let savedCommandStart = commandStart
            let savedRedirect = expectRedirectTarget
            startCommand()
            parseList(until: .closeParen, depth: depth &+ 1)
            if byte(at: pos) == UInt8(ascii: ")") {
                mark(pos, .substitution)
                pos &+= 1
            }
            commandStart = savedCommandStart
            expectRedirectTarget = savedRedirect
        case UInt8(ascii: "{")?:
            mark(pos..<(pos &+ 2), .substitution)
            pos &+= 2
            guard depth < Self.maxDepth else { markRestAsHostile(); return }
            let savedCommandStart = commandStart
            let savedRedirect = expectRedirectTarget
            commandStart = false
            expectRedirectTarget = false
            parseList(until: .closeBrace, depth: depth &+ 1)
            if byte(at: pos) == UInt8(ascii: "}") {
                mark(pos, .substitution)
                pos &+= 1
            }
            commandStart = savedCommandStart
            expectRedirectTarget = savedRedirect
        case let c? where isNameStart(c):
            let start = pos
            pos &+= 2
            while pos < end, isNameContinue(bytes[pos]) || (dialect == .powershell && bytes[pos] == UInt8(ascii: ":")) {
                pos &+= 1
            }
            mark(start..<pos, .substitution)
        case let c? where isDigit(c) || isSpecialParameter(c):
            mark(pos..<(pos &+ 2), .substitution)
            pos &+= 2
        case UInt8(ascii: "'")? where dialect == .posix:
            // ANSI-C quoting: `$'...'` with backslash escapes, a literal.
            let start = pos
            pos &+= 2
            while pos < end, bytes[pos] != UInt8(ascii: "'") {
                pos = bytes[pos] == UInt8(ascii: "\\") ? min(pos &+ 2, end) : pos &+ 1
            }
            if pos < end { pos &+= 1 }
            mark(start..<pos, role)
        default:
            mark(pos, role)
            pos &+= 1
        }
    }

    mutating func parseBacktick(depth: Int) {
        mark(pos, .substitution)
        pos &+= 1
        guard depth < Self.maxDepth else { markRestAsHostile(); return }
        let savedCommandStart = commandStart
        let savedRedirect = expectRedirectTarget
        startCommand()
        parseList(until: .backtick, depth: depth &+ 1)
        if byte(at: pos) == UInt8(ascii: "`") {
            mark(pos, .substitution)
            pos &+= 1
        }
        commandStart = savedCommandStart
        expectRedirectTarget = savedRedirect
    }

    /// cmd.exe `%NAME%` (and `%~1`-style batch parameters) expand; a lone `%` is literal.
    mutating func parsePercentVariable(role: ShellByteRole) {
        var i = pos &+ 1
        while i < end {
            let c = bytes[i]
            if c == UInt8(ascii: "%") { break }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\"") || c == UInt8(ascii: " ") { i = end; break }
            i &+= 1
        }
        if i < end, i > pos &+ 1 {
            mark(pos..<(i &+ 1), .substitution)
            pos = i &+ 1
        } else if let next = byte(at: pos &+ 1), isDigit(next) || next == UInt8(ascii: "~") || next == UInt8(ascii: "*") {
            mark(pos..<(pos &+ 2), .substitution)
            pos &+= 2
        } else {
            mark(pos, role)
            pos &+= 1
        }
    }

    // MARK: Here-documents

    func heredocDelimiter(_ range: Range<Int>, stripTabs: Bool) -> PendingHeredoc {
        var delimiter: [UInt8] = []
        var quoted = false
        var i = range.lowerBound
        while i < range.upperBound {
            let c = bytes[i]
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                quoted = true
            } else if c == UInt8(ascii: "\\") {
                quoted = true
                i &+= 1
                if i < range.upperBound { delimiter.append(bytes[i]) }
            } else {
                delimiter.append(c)
            }
            i &+= 1
        }
        return PendingHeredoc(delimiter: delimiter, quoted: quoted, stripTabs: stripTabs)
    }

    /// After the newline that ends a line with `<<WORD`: each body is data (expanded unless WORD was quoted);
    /// the line equal to WORD ends it and is structural.
    mutating func readHeredocBodies(depth: Int) {
        let heredocs = pendingHeredocs
        pendingHeredocs.removeAll(keepingCapacity: true)
        for heredoc in heredocs {
            let bodyStart = pos
            var lineStart = pos
            var bodyEnd = end
            var delimiterEnd = end
            while lineStart < end {
                var lineEnd = lineStart
                while lineEnd < end && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd &+= 1 }
                var contentStart = lineStart
                if heredoc.stripTabs {
                    while contentStart < lineEnd && bytes[contentStart] == UInt8(ascii: "\t") { contentStart &+= 1 }
                }
                if lineEnd &- contentStart == heredoc.delimiter.count,
                   heredoc.delimiter.withUnsafeBufferPointer({ delimiter in
                       (0..<delimiter.count).allSatisfy { bytes[contentStart &+ $0] == delimiter[$0] }
                   }) {
                    bodyEnd = lineStart
                    delimiterEnd = min(lineEnd &+ 1, end)
                    break
                }
                lineStart = lineEnd &+ 1
            }
            wordCounter &+= 1
            let bodyID = wordCounter
            let savedEnd = end
            end = bodyEnd
            if heredoc.quoted {
                mark(bodyStart..<bodyEnd, .word)
                pos = bodyEnd
            } else {
                while pos < end {
                    let c = bytes[pos]
                    if c == UInt8(ascii: "\\") {
                        mark(pos..<(pos &+ 2), .word)
                        pos = min(pos &+ 2, end)
                    } else if c == UInt8(ascii: "$") {
                        parseDollar(role: .word, depth: depth)
                        wordCounter = bodyID
                    } else if c == UInt8(ascii: "`") {
                        parseBacktick(depth: depth)
                        wordCounter = bodyID
                    } else {
                        mark(pos, .word)
                        pos &+= 1
                    }
                }
            }
            end = savedEnd
            pos = bodyEnd
            mark(bodyEnd..<delimiterEnd, .heredocDelimiter)
            pos = delimiterEnd
        }
    }
}

@inline(__always) func isNameStart(_ c: UInt8) -> Bool {
    (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c == UInt8(ascii: "_")
}

@inline(__always) func isNameContinue(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

@inline(__always) private func isSpecialParameter(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "@"), UInt8(ascii: "*"), UInt8(ascii: "#"), UInt8(ascii: "?"), UInt8(ascii: "$"),
         UInt8(ascii: "!"), UInt8(ascii: "-"):
        return true
    default:
        return false
    }
}
