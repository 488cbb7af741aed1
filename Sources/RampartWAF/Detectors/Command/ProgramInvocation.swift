/// How an argv array runs: which elements name programs (wrappers such as `env`, `sudo`, `busybox` included),
/// the program finally run, and — when that program is a shell told to run a script (`sh -c SCRIPT`,
/// `cmd.exe /c ...`, `powershell -Command ...`) — where that script is.
struct ProgramInvocation {
    /// Indices of argv elements that name a program: wrappers first, the program finally run last.
    var programIndices: [Int] = []
    /// The final program's name: last path component, lowercased, without `.exe`.
    var programName: Substring = ""
    /// The shell script run, when the program is a shell with `-c` (or cmd `/c`, PowerShell `-Command`).
    var script: Script?

    struct Script {
        /// First argv index making up the script (POSIX shells: exactly this element; cmd and PowerShell join the
        /// rest of the arguments with spaces, as Windows does when it builds the command line).
        var firstIndex: Int
        var joinsRemainingArguments: Bool
        var dialect: ShellDialect
    }

    static let posixShells: Set<Substring> = [
        "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "yash", "rbash", "ksh93", "pdksh", "oksh", "busybox-sh",
    ]

    /// PowerShell options followed by a value (which is not the command).
    static let powershellValueOptions: Set<Substring> = [
        "-executionpolicy", "-ep", "-ex", "-exec", "-windowstyle", "-w", "-version", "-v", "-psconsolefile",
        "-inputformat", "-if", "-outputformat", "-of", "-o", "-configurationname", "-workingdirectory", "-wd",
        "-encodedcommand", "-e", "-ec", "-enc", "-settingsfile",
    ]

    /// Wrappers that run the program named by a later argument: name → options taking a separate value.
    static let wrappers: [Substring: Set<Substring>] = [
        "env": ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        "sudo": ["-u", "--user", "-g", "--group", "-h", "--host", "-p", "--prompt", "-C", "-D", "-r", "-t", "-U"],
        "doas": ["-u", "-C"],
        "nice": ["-n", "--adjustment"],
        "nohup": [],
        "setsid": [],
        "time": ["-f", "--format", "-o", "--output"],
        "timeout": ["-s", "--signal", "-k", "--kill-after"],
        "stdbuf": ["-i", "-o", "-e"],
        "ionice": ["-c", "-n", "-p"],
        "chrt": [],
        "xargs": ["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"],
        "exec": [],
        "command": [],
        "busybox": [],
    ]

    init(arguments: [String]) {
        var index = 0
        var steps = 0
        while index < arguments.count, steps < 16 {
            steps &+= 1
            programIndices.append(index)
            let name = Self.programName(arguments[index])
            programName = name
            guard let valueOptions = Self.wrappers[name] else { break }
            // Skip the wrapper's options (and `NAME=value` for env), then the wrapper's own operand for
            // `timeout DURATION` / `chrt PRIORITY`.
            var next = index &+ 1
            while next < arguments.count {
                let argument = arguments[next]
                if argument == "--" { next &+= 1; break }
                if argument.hasPrefix("-") && argument.count > 1 {
                    next &+= valueOptions.contains(Substring(argument)) ? 2 : 1
                } else if name == "env" && argument.contains("=") {
                    next &+= 1
                } else {
                    break
                }
            }
            if name == "timeout" || name == "chrt" { next &+= 1 }
            guard next < arguments.count else {
                index = arguments.count
                break
            }
            index = next
        }
        guard let programIndex = programIndices.last, programIndex < arguments.count else { return }
        script = Self.findScript(arguments: arguments, programIndex: programIndex, programName: programName)
    }

    /// `"/usr/bin/Bash.EXE"` → `"bash"`; `"C:\\Windows\\System32\\cmd.exe"` → `"cmd"`.
    static func programName(_ argument: String) -> Substring {
        var name = Substring(argument)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) {
            name = name[name.index(after: slash)...]
        }
        if name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            name = Substring(name.lowercased())
        }
        if name.hasSuffix(".exe") { name = name.dropLast(4) }
        return name
    }

    private static func findScript(arguments: [String], programIndex: Int, programName: Substring) -> Script? {
        if posixShells.contains(programName) {
            return posixShellScript(arguments: arguments, after: programIndex)
        }
        if programName == "cmd" {
            var i = programIndex &+ 1
            while i < arguments.count {
                let lowered = arguments[i].lowercased()
                if lowered == "/c" || lowered == "/k" || lowered == "/r" {
                    return i &+ 1 < arguments.count
                        ? Script(firstIndex: i &+ 1, joinsRemainingArguments: true, dialect: .cmd) : nil
                }
                i &+= 1
            }
            return nil
        }
        if programName == "powershell" || programName == "pwsh" {
            var i = programIndex &+ 1
            while i < arguments.count {
                let lowered = arguments[i].lowercased()
                if lowered.count >= 2, lowered.hasPrefix("-") || lowered.hasPrefix("/"),
                   "-command".hasPrefix("-" + lowered.dropFirst()) {
                    return i &+ 1 < arguments.count
                        ? Script(firstIndex: i &+ 1, joinsRemainingArguments: true, dialect: .powershell) : nil
                }
                if lowered == "-file" || lowered == "-f" { return nil }
                if powershellValueOptions.contains(Substring(lowered)) {
                    i &+= 2
                    continue
                }
                if !lowered.hasPrefix("-") && !lowered.hasPrefix("/") {
                    // PowerShell treats a bare first operand as the command.
                    return Script(firstIndex: i, joinsRemainingArguments: true, dialect: .powershell)
                }
                i &+= 1
            }
            return nil
        }
        return nil
    }

    /// POSIX shells: options (`-c` possibly combined, `-o NAME`, `--long`) then, with `-c`, the script operand.
    private static func posixShellScript(arguments: [String], after programIndex: Int) -> Script? {
        var commandMode = false
        var i = programIndex &+ 1
        while i < arguments.count {
            let argument = arguments[i].utf8
            guard let first = argument.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+"),
                  argument.count > 1 else { break }
            if arguments[i] == "--" { i &+= 1; break }
            if argument.dropFirst().first == UInt8(ascii: "-") {
                // Long options; the two that take a file name consume it.
                if arguments[i] == "--rcfile" || arguments[i] == "--init-file" { i &+= 1 }
                i &+= 1
                continue
            }
            var takesValue = false
            for letter in argument.dropFirst() {
                if letter == UInt8(ascii: "c") { commandMode = true }
                if letter == UInt8(ascii: "o") || letter == UInt8(ascii: "O") { takesValue = true }
            }
            i &+= takesValue ? 2 : 1
        }
        guard commandMode, i < arguments.count else { return nil }
        return Script(firstIndex: i, joinsRemainingArguments: false, dialect: .posix)
    }
}
