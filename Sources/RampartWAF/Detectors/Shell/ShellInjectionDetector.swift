/// `shi_detector`: shell injection in a command line about to be run through a shell (`system`, `popen`,
/// `sh -c`).
///
/// The command line is parsed once (quotes, escapes, `$( )`, backticks, `${ }`, operators, redirections,
/// here-documents, comments); a request parameter that occurs in it is an injection when that occurrence adds
/// shell syntax (an operator, a redirection, a substitution, a newline, a comment), spans several words, or
/// supplies the name of the program run. A parameter confined to one word — quoted or not — is inert, whatever
/// characters it contains.
public enum ShellInjectionDetector {
    /// Parameters shorter than this many bytes are ignored: they occur by chance in most command lines.
    public static let minimumParameterLength = 2

    public static func detect(commandLine: String, parameters: [UserParameter]) -> InjectionFinding? {
        detect(commandLine: commandLine, dialect: .posix, parameters: parameters)
    }

    /// The same check for a command line in another shell's syntax (`cmd.exe /c`, PowerShell `-Command`).
    public static func detect(commandLine: String, dialect: ShellDialect, parameters: [UserParameter]) -> InjectionFinding? {
        guard !parameters.isEmpty else { return nil }
        let hit = commandLine.withUTF8Bytes { script in
            ShellScriptCheck.firstInjection(in: script, dialect: dialect, parameters: parameters)
        }
        guard let hit else { return nil }
        return InjectionFinding(
            detector: "shi_detector", parameter: parameters[hit.parameterIndex], operation: commandLine,
            location: hit.range, reason: hit.reason)
    }
}

/// The shared core of `shi_detector` and `cmdi_detector`'s `sh -c` case.
enum ShellScriptCheck {
    struct Hit {
        var parameterIndex: Int
        var range: Range<Int>
        var reason: String
    }

    /// How many `sh -c '...'` levels inside a command line are followed.
    static let maxScriptNesting = 3

    /// Occurrences of one parameter judged per script (see `firstInjection`).
    static let maxOccurrencesPerParameter = 256

    static func firstInjection(
        in script: UnsafeBufferPointer<UInt8>, dialect: ShellDialect, parameters: [UserParameter], nesting: Int = 0
    ) -> Hit? {
        var map: ShellSyntaxMap?
        var commandWordCache: CommandWordExtent?
        var hit: Hit?
        // Per parameter: occurrences judged so far, or -1 once it is known to hold only blanks.
        var judged = [Int](repeating: 0, count: parameters.count)
        ParameterOccurrences.forEach(
            in: script, parameters: parameters, minimumLength: ShellInjectionDetector.minimumParameterLength
        ) { index, value, range in
            guard index >= 0, index < judged.count, judged[index] >= 0 else { return true }
            // A value repeated through a long command (`aaaa…` in `aaaa…`) occurs at every offset; judging each
            // costs the value's length again, quadratic overall (found by the evaluator fuzzer: 100 ms for one
            // call). Past `maxOccurrencesPerParameter` the parameter's further occurrences are not judged: an
            // injection would need the developer's own text to repeat the attacker's value that often first.
            guard judged[index] < Self.maxOccurrencesPerParameter else { return true }
            if judged[index] == 0 {
                // Blanks alone only separate words the developer wrote.
                guard value.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
                    judged[index] = -1
                    return true
                }
            }
            judged[index] &+= 1
            if map == nil { map = ShellSyntaxMap(script, dialect: dialect) }
            guard let syntax = map else { return false }
            if let reason = judge(range, in: syntax, script: script, cache: &commandWordCache)
                ?? judgeNestedScript(range, parameter: parameters[index], in: syntax, script: script, nesting: nesting) {
                hit = Hit(parameterIndex: index, range: range, reason: reason)
                return false
            }
            return true
        }
        return hit
    }

    /// A parameter confined to the script word of `sh -c '...'` is checked again inside that script.
    static func judgeNestedScript(
        _ occurrence: Range<Int>, parameter: UserParameter, in syntax: ShellSyntaxMap,
        script: UnsafeBufferPointer<UInt8>, nesting: Int
    ) -> String? {
        guard !syntax.scriptWords.isEmpty, nesting < maxScriptNesting, occurrence.lowerBound < syntax.words.count else {
            return nil
        }
        let word = syntax.words[occurrence.lowerBound]
        guard let entry = syntax.scriptWords.first(where: { $0.word == word && $0.range.contains(occurrence.lowerBound) })
        else { return nil }
        let inner = ShellWordValue.literal(UnsafeBufferPointer(rebasing: script[entry.range]))
        let hit = inner.withUnsafeBufferPointer { innerScript in
            firstInjection(in: innerScript, dialect: .posix, parameters: [parameter], nesting: nesting &+ 1)
        }
        guard let hit else { return nil }
        return "inside the script of a nested `sh -c`: \(hit.reason)"
    }

    struct CommandWordExtent {
        var word: UInt32
        var start: Int
        var end: Int
        var basenameStart: Int
    }

    /// Why the parameter occurrence at `occurrence` breaks out of its word, or nil when it stays in one word.
    static func judge(
        _ occurrence: Range<Int>, in syntax: ShellSyntaxMap, script: UnsafeBufferPointer<UInt8>,
        cache: inout CommandWordExtent?
    ) -> String? {
        // Unquoted blanks around a parameter separate words the developer wrote anyway: they add nothing.
        var start = occurrence.lowerBound
        var end = occurrence.upperBound
        while start < end && syntax.role(at: start) == .blank { start &+= 1 }
        while end > start && syntax.role(at: end &- 1) == .blank { end &-= 1 }
        guard start < end else { return nil }

        if syntax.structuralCount(in: start..<end) > 0 {
            var i = start
            while i < end && !syntax.role(at: i).isStructural { i &+= 1 }
            return describeStructure(at: i, limit: end, syntax: syntax, script: script)
        }
        let firstRole = syntax.role(at: start)
        let lastRole = syntax.role(at: end &- 1)
        if syntax.words[start] != syntax.words[end &- 1] || !firstRole.isWordLike || !lastRole.isWordLike {
            var wordsSpanned = 1
            var i = start &+ 1
            while i < end {
                if syntax.role(at: i).isWordLike && syntax.role(at: i &- 1) == .blank { wordsSpanned &+= 1 }
                i &+= 1
            }
            return "parameter spans \(wordsSpanned) shell words (unquoted blanks split it into separate arguments)"
        }
        if firstRole == .commandName {
            let extent = commandWordExtent(containing: start, syntax: syntax, script: script, cache: &cache)
            if start <= extent.basenameStart && end >= extent.end {
                let name = String(decoding: UnsafeBufferPointer(rebasing: script[extent.start..<extent.end]), as: UTF8.self)
                return "parameter supplies the program name `\(truncated(name))`"
            }
        }
        return nil
    }

    static func commandWordExtent(
        containing index: Int, syntax: ShellSyntaxMap, script: UnsafeBufferPointer<UInt8>,
        cache: inout CommandWordExtent?
    ) -> CommandWordExtent {
        let word = syntax.words[index]
        if let cached = cache, cached.word == word, cached.start <= index, index < cached.end { return cached }
        var start = index
        while start > 0 && syntax.words[start &- 1] == word && syntax.role(at: start &- 1) == .commandName { start &-= 1 }
        var end = index &+ 1
        var basenameStart = start
        while end < syntax.words.count && syntax.words[end] == word && syntax.role(at: end) == .commandName { end &+= 1 }
        for i in start..<end where script[i] == UInt8(ascii: "/") || script[i] == UInt8(ascii: "\\") {
            basenameStart = i &+ 1
        }
        let extent = CommandWordExtent(word: word, start: start, end: end, basenameStart: min(basenameStart, end &- 1))
        cache = extent
        return extent
    }

    static func describeStructure(
        at index: Int, limit: Int, syntax: ShellSyntaxMap, script: UnsafeBufferPointer<UInt8>
    ) -> String {
        guard index < limit else { return "parameter adds shell syntax" }
        let role = syntax.role(at: index)
        var tokenEnd = index &+ 1
        while tokenEnd < limit && tokenEnd &- index < 12 && syntax.role(at: tokenEnd) == role { tokenEnd &+= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: script[index..<tokenEnd]), as: UTF8.self)
        switch role {
        case .commandSeparator:
            if script[index] == UInt8(ascii: "\n") { return "parameter adds a newline, which starts a new command" }
            return "parameter adds the shell operator `\(text)`"
        case .redirection:
            return "parameter adds the redirection `\(text)`"
        case .substitution:
            if script[index] == UInt8(ascii: "`") { return "parameter adds a backtick command substitution" }
            return "parameter adds the substitution `\(text)`"
        case .comment:
            return "parameter adds a comment `\(truncated(text))` that hides the rest of the command"
        case .heredocDelimiter:
            return "parameter ends a here-document early"
        case .blank, .word, .commandName:
            return "parameter adds shell syntax"
        }
    }

    static func truncated(_ text: String) -> String {
        text.utf8.count <= 40 ? text : String(text.prefix(40)) + "…"
    }
}
