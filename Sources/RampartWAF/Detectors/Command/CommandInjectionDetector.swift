/// `cmdi_detector`: command injection in an argv array run without a shell (`execve`, `Process`,
/// swift-subprocess).
///
/// Without a shell, an argument is one argument whatever it contains: `;`, `|`, `$( )` are inert. So a
/// parameter is an injection only when
/// 1. it supplies the program run — the name (last path component) of argv[0], of the program behind a wrapper
///    (`env`, `sudo`, `busybox`, `timeout`, ...), or the script file a shell runs;
/// 2. the program is a shell running a script (`sh -c SCRIPT`, `bash -lc`, `busybox sh -c`, `env ... sh -c`,
///    `cmd.exe /c ...`, `powershell -Command ...`): the script is then checked exactly like `shi_detector`;
/// 3. it smuggles an option known to run a command or write a file into a program that has one
///    (`--upload-pack=...` for git, `-oProxyCommand=...` for ssh, `--checkpoint-action=...` for tar,
///    `-exec` for find, ...). The option has to come with its value (`--output=/etc/x`, `-oProxyCommand=x`) or be a
///    long option: a bare short flag such as `-c` from a parameter only changes the meaning of the developer's
///    next argument, and is left alone (it is in the dev corpus as benign).
public enum CommandInjectionDetector {
    public static func detect(arguments: [String], parameters: [UserParameter]) -> InjectionFinding? {
        guard !arguments.isEmpty, !parameters.isEmpty else { return nil }
        let invocation = ProgramInvocation(arguments: arguments)

        // 1. The program itself.
        for programIndex in invocation.programIndices {
            if let (parameterIndex, range) = parameterSupplyingName(of: arguments[programIndex], parameters: parameters) {
                return finding(
                    arguments, parameters[parameterIndex], element: programIndex, range: range,
                    reason: "parameter supplies the program run (argv[\(programIndex)] `\(ShellScriptCheck.truncated(arguments[programIndex]))`)")
            }
        }

        // 2. A shell running a script.
        if let script = invocation.script {
            let text: String
            if script.joinsRemainingArguments {
                text = arguments[script.firstIndex...].joined(separator: " ")
            } else {
                text = arguments[script.firstIndex]
            }
            let hit = text.withUTF8Bytes { bytes in
                ShellScriptCheck.firstInjection(in: bytes, dialect: script.dialect, parameters: parameters)
            }
            if let hit {
                let shell = invocation.programName
                return finding(
                    arguments, parameters[hit.parameterIndex], element: script.firstIndex, range: hit.range,
                    reason: "in the script run by `\(shell)`: \(hit.reason)")
            }
            return nil
        } else if let programIndex = invocation.programIndices.last,
                  ProgramInvocation.posixShells.contains(invocation.programName),
                  let scriptFile = firstOperand(arguments, after: programIndex),
                  let (parameterIndex, range) = parameterSupplyingName(of: arguments[scriptFile], parameters: parameters) {
            return finding(
                arguments, parameters[parameterIndex], element: scriptFile, range: range,
                reason: "parameter supplies the script file run by `\(invocation.programName)`")
        }

        // 3. Option injection into a program with a dangerous option.
        if let programIndex = invocation.programIndices.last,
           let options = DangerousOptions.options(forProgram: invocation.programName) {
            var index = programIndex &+ 1
            while index < arguments.count {
                let argument = arguments[index]
                if argument.utf8.first == UInt8(ascii: "-"),
                   let option = options.matchingOption(argument),
                   let parameterIndex = parameters.firstIndex(where: { parameter in
                       parameter.value.utf8.first == UInt8(ascii: "-")
                           && parameter.value.utf8.count >= option.utf8.count
                           && argument.utf8.starts(with: parameter.value.utf8)
                   }) {
                    return finding(
                        arguments, parameters[parameterIndex], element: index,
                        range: 0..<parameters[parameterIndex].value.utf8.count,
                        reason: "parameter injects the option `\(option)` into `\(invocation.programName)` (runs a command or writes a file)")
                }
                index &+= 1
            }
        }
        return nil
    }

    /// A parameter (≥ 2 bytes) whose occurrence in `element` covers its whole last path component.
    static func parameterSupplyingName(of element: String, parameters: [UserParameter]) -> (Int, Range<Int>)? {
        element.withUTF8Bytes { bytes in
            guard !bytes.isEmpty else { return nil }
            var basenameStart = 0
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "/") || bytes[i] == UInt8(ascii: "\\") {
                basenameStart = i &+ 1
            }
            if basenameStart == bytes.count { basenameStart = 0 }
            for (index, parameter) in parameters.enumerated() {
                let found: Range<Int>? = parameter.value.withUTF8Bytes { value in
                    guard value.count >= ShellInjectionDetector.minimumParameterLength else { return nil }
                    var result: Range<Int>?
                    ByteSearch.forEachOccurrence(of: value, in: bytes) { range in
                        if range.lowerBound <= basenameStart && range.upperBound == bytes.count {
                            result = range
                            return false
                        }
                        return true
                    }
                    return result
                }
                if let found { return (index, found) }
            }
            return nil
        }
    }

    static func firstOperand(_ arguments: [String], after programIndex: Int) -> Int? {
        var index = programIndex &+ 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { return index &+ 1 < arguments.count ? index &+ 1 : nil }
            if !(argument.hasPrefix("-") || argument.hasPrefix("+")) || argument.count == 1 { return index }
            index &+= (argument == "-o" || argument == "+o" || argument == "--rcfile" || argument == "--init-file") ? 2 : 1
        }
        return nil
    }

    /// The finding, located in the argv joined with spaces (the form `operation` shows).
    static func finding(
        _ arguments: [String], _ parameter: UserParameter, element: Int, range: Range<Int>, reason: String
    ) -> InjectionFinding {
        var offset = 0
        for i in 0..<min(element, arguments.count) { offset &+= arguments[i].utf8.count &+ 1 }
        return InjectionFinding(
            detector: "cmdi_detector", parameter: parameter, operation: arguments.joined(separator: " "),
            location: (offset &+ range.lowerBound)..<(offset &+ range.upperBound), reason: reason)
    }
}
