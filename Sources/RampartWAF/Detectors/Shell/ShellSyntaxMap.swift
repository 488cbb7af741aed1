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
    /// Words that are the script operand of a shell run with `-c` (`sh -c '...'`), as (word number, byte range):
    /// their unquoted text is itself a command line.
    private(set) var scriptWords: [(word: UInt32, range: Range<Int>)] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, dialect: ShellDialect) {
        let n = bytes.count
        var roles = [UInt8](repeating: ShellByteRole.blank.rawValue, count: n)
        var words = [UInt32](repeating: 0, count: n)
        var prefix = [UInt32](repeating: 0, count: n &+ 1)
        var scriptWords: [(word: UInt32, range: Range<Int>)] = []
        roles.withUnsafeMutableBufferPointer { roleBuffer in
            words.withUnsafeMutableBufferPointer { wordBuffer in
                var lexer = ShellLexer(bytes: bytes, dialect: dialect, roles: roleBuffer, words: wordBuffer)
                lexer.parseList(until: .end, depth: 0)
                scriptWords = lexer.scriptWords
            }
            prefix.withUnsafeMutableBufferPointer { prefixBuffer in
                var running: UInt32 = 0
                for i in 0..<n {
                    if roleBuffer[i] >= ShellByteRole.commandSeparator.rawValue { running &+= 1 }
                    prefixBuffer[i &+ 1] = running
                }
            }
        }
        self.roles = roles
        self.words = words
        self.structuralPrefix = prefix
        self.scriptWords = scriptWords
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
    /// Output, one entry per byte (owned by `ShellSyntaxMap`).
    let roles: UnsafeMutableBufferPointer<UInt8>
    let words: UnsafeMutableBufferPointer<UInt32>
    var wordCounter: UInt32 = 0
    var commandStart = true
    var expectRedirectTarget = false
    /// Set by `<<` / `<<-`: the next word is a here-document delimiter (value: strip leading tabs).
    var expectHeredocDelimiter: Bool?
    var pendingHeredocs: [PendingHeredoc] = []
    /// Arguments of the current simple command, as far as `sh -c SCRIPT` recognition needs them.
    var shellCommand = ShellCommandState.other
    var scriptWords: [(word: UInt32, range: Range<Int>)] = []

    enum ShellCommandState {
        /// Not a shell, or its script operand was already seen.
        case other
        /// A wrapper (`env`, `sudo`, `nohup`, ...): the next operand names the program.
        case wrapper
        /// A POSIX shell; `commandFlag` once an option containing `c` was seen.
        case shell(commandFlag: Bool)
    }

    static let wrapperNames: [[UInt8]] =
        ["env", "sudo", "doas", "nohup", "exec", "command", "busybox", "nice", "setsid", "stdbuf", "time", "xargs"]
            .map { Array($0.utf8) }
    static let shellNames: [[UInt8]] = ProgramInvocation.posixShells.map { Array($0.utf8) }

    init(
        bytes: UnsafeBufferPointer<UInt8>, dialect: ShellDialect, roles: UnsafeMutableBufferPointer<UInt8>,
        words: UnsafeMutableBufferPointer<UInt32>
    ) {
        self.bytes = bytes
        self.dialect = dialect
        self.end = bytes.count
        self.roles = roles
        self.words = words
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
        shellCommand = .other
    }

    /// Follows `sh -c SCRIPT` (also behind wrappers) through the words of a simple command.
    mutating func noteWord(_ range: Range<Int>, namesCommand: Bool) {
        guard dialect == .posix else { return }
        if namesCommand {
            shellCommand = classifyProgram(range)
            return
        }
        switch shellCommand {
        case .other:
            return
        case .wrapper:
            let first = bytes[range.lowerBound]
            if first == UInt8(ascii: "-") || bytes[range].contains(UInt8(ascii: "=")) { return }
            shellCommand = classifyProgram(range)
        case .shell(let commandFlag):
            let first = bytes[range.lowerBound]
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                let isLong = range.count > 1 && bytes[range.lowerBound &+ 1] == UInt8(ascii: "-")
                if !isLong && bytes[range].contains(UInt8(ascii: "c")) { shellCommand = .shell(commandFlag: true) }
                return
            }
            if commandFlag { scriptWords.append((wordCounter, range)) }
            shellCommand = .other
        }
    }

    /// Whether a command word names a POSIX shell, a wrapper, or something else (quotes ignored).
    func classifyProgram(_ range: Range<Int>) -> ShellCommandState {
        var basenameStart = range.lowerBound
        var quoted = false
        for i in range {
            let c = bytes[i]
            if c == UInt8(ascii: "/") { basenameStart = i &+ 1 }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { quoted = true }
        }
        let basename = UnsafeBufferPointer(rebasing: bytes[basenameStart..<range.upperBound])
        guard !basename.isEmpty, basename.count <= 16 else { return .other }
        if quoted {
            let name = basename.filter { $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            return name.withUnsafeBufferPointer { classifyName($0) }
        }
        return classifyName(basename)
    }

    func classifyName(_ name: UnsafeBufferPointer<UInt8>) -> ShellCommandState {
        @inline(__always) func equal(_ candidate: [UInt8]) -> Bool {
            guard candidate.count == name.count else { return false }
            for i in 0..<name.count where candidate[i] != name[i] { return false }
            return true
        }
        // Every shell and wrapper name is 2–10 lowercase letters (or digits): skip the lists for anything else.
        guard name.count >= 2, name.count <= 10, let first = name.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z")
        else { return .other }
        for candidate in Self.wrapperNames where equal(candidate) { return .wrapper }
        for candidate in Self.shellNames where equal(candidate) { return .shell(commandFlag: false) }
        return .other
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
            if isPlainWordByte(c) {
                // Letters, digits and common punctuation mean the same in every dialect and context.
                roles[pos] = role.rawValue
                words[pos] = wordCounter
                pos &+= 1
                continue
            }
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
        } else {
            let keyword = namesCommand && isKeyword(start..<pos)
            if pos > start { noteWord(start..<pos, namesCommand: namesCommand && !keyword) }
            if namesCommand { commandStart = keyword }
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

    /// Reserved words after which a command name still follows (`if`, `then`, `do`, `!`, ...).
    func isKeyword(_ range: Range<Int>) -> Bool {
        guard dialect == .posix, range.count <= 5, let first = range.first else { return false }
        let b = bytes
        @inline(__always) func equals(_ text: StaticString) -> Bool {
            guard text.utf8CodeUnitCount == range.count else { return false }
            let pointer = text.utf8Start
            for offset in 0..<range.count where b[first &+ offset] != pointer[offset] { return false }
            return true
        }
        switch b[first] {
        case UInt8(ascii: "i"): return equals("if")
        case UInt8(ascii: "t"): return equals("then") || equals("time")
        case UInt8(ascii: "e"): return equals("else") || equals("elif")
        case UInt8(ascii: "d"): return equals("do")
        case UInt8(ascii: "w"): return equals("while")
        case UInt8(ascii: "u"): return equals("until")
        case UInt8(ascii: "!"), UInt8(ascii: "{"): return range.count == 1
        default: return false
        }
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
            let savedShellCommand = shellCommand
            startCommand()
            parseList(until: .closeParen, depth: depth &+ 1)
            if byte(at: pos) == UInt8(ascii: ")") {
                mark(pos, .substitution)
                pos &+= 1
            }
            commandStart = savedCommandStart
            expectRedirectTarget = savedRedirect
            shellCommand = savedShellCommand
        case UInt8(ascii: "{")?:
            mark(pos..<(pos &+ 2), .substitution)
            pos &+= 2
            guard depth < Self.maxDepth else { markRestAsHostile(); return }
            let savedCommandStart = commandStart
            let savedRedirect = expectRedirectTarget
            let savedShellCommand = shellCommand
            commandStart = false
            expectRedirectTarget = false
            parseList(until: .closeBrace, depth: depth &+ 1)
            if byte(at: pos) == UInt8(ascii: "}") {
                mark(pos, .substitution)
                pos &+= 1
            }
            commandStart = savedCommandStart
            expectRedirectTarget = savedRedirect
            shellCommand = savedShellCommand
        case let c? where isNameStart(c):
            let start = pos
            pos &+= 2
            while pos < end, isNameContinue(bytes[pos]) || (dialect == .powershell && bytes[pos] == UInt8(ascii: ":")) {
                pos &+= 1
            }
            mark(start..<pos, .substitution)
        case let c? where isDigit(c) || isSpecialParameter(c):
            // Positional and special parameters (`$1`, `$?`, `$$`, `$#`) expand to values the request cannot
            // choose — and "$5" is usually a price: part of the word.
            mark(pos..<(pos &+ 2), role)
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
        let savedShellCommand = shellCommand
        startCommand()
        parseList(until: .backtick, depth: depth &+ 1)
        if byte(at: pos) == UInt8(ascii: "`") {
            mark(pos, .substitution)
            pos &+= 1
        }
        commandStart = savedCommandStart
        expectRedirectTarget = savedRedirect
        shellCommand = savedShellCommand
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

/// Bytes that are literal word characters in every shell dialect and quoting context handled here.
@inline(__always) func isPlainWordByte(_ c: UInt8) -> Bool {
    // a-z A-Z 0-9 and . / - _ , : + =  (`@` too; not `%` (cmd), `$`, quotes, escapes, operators, braces)
    let low: UInt64 = 0x27FF_F800_0000_0000  // '+' ',' '-' '.' '/' '0'-'9' ':' '='
    let high: UInt64 = 0x07FF_FFFE_87FF_FFFF  // '@' 'A'-'Z' '_' 'a'-'z'
    if c < 64 { return low & (1 << UInt64(c)) != 0 }
    if c < 128 { return high & (1 << UInt64(c &- 64)) != 0 }
    return c >= 0x80
}

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
