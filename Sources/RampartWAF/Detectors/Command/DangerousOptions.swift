/// Options that make a common program run another command, load a configuration that can, or write a file of
/// the caller's choosing — the options an attacker injects when an application passes a parameter as an argument
/// without a `--` end-of-options marker. A list of facts about these programs' documented options.
struct DangerousOptions {
    enum Form {
        /// `--name` or `--name=value` (also single-dash long options such as find's `-exec`).
        case long
        /// `-xVALUE`: flagged only with the value attached, since a bare short flag from a parameter only changes
        /// how the developer's next argument is read.
        case shortWithValue
    }

    let entries: [(name: String, form: Form)]

    /// The option `argument` starts with, if it is one of this program's dangerous options.
    func matchingOption(_ argument: String) -> String? {
        let bytes = argument.utf8
        for (name, form) in entries where bytes.starts(with: name.utf8) {
            let rest = bytes.dropFirst(name.utf8.count)
            switch form {
            case .long:
                if rest.isEmpty || rest.first == UInt8(ascii: "=") { return name }
            case .shortWithValue:
                if !rest.isEmpty { return name }
            }
        }
        return nil
    }

    static func options(forProgram name: Substring) -> DangerousOptions? {
        var program = name
        // `python3.12` → `python`, `perl5.36` → `perl`
        while let last = program.last, last.isNumber || last == "." { program = program.dropLast() }
        return table[program]
    }

    private static let table: [Substring: DangerousOptions] = [
        "git": DangerousOptions(entries: [
            ("--upload-pack", .long), ("--receive-pack", .long), ("--exec", .long), ("--config", .long),
            ("--output", .long), ("--template", .long), ("-u", .shortWithValue), ("-c", .shortWithValue),
        ]),
        "tar": DangerousOptions(entries: [
            ("--checkpoint-action", .long), ("--to-command", .long), ("--use-compress-program", .long),
            ("--rsh-command", .long), ("--info-script", .long), ("--new-volume-script", .long),
            ("-I", .shortWithValue), ("-F", .shortWithValue),
        ]),
        "find": DangerousOptions(entries: [
            ("-exec", .long), ("-execdir", .long), ("-ok", .long), ("-okdir", .long), ("-delete", .long),
            ("-fprint", .long), ("-fprint0", .long), ("-fprintf", .long), ("-fls", .long),
        ]),
        "rsync": DangerousOptions(entries: [("--rsh", .long), ("--rsync-path", .long), ("-e", .shortWithValue)]),
        "ssh": DangerousOptions(entries: [
            ("-oProxyCommand", .shortWithValue), ("-oLocalCommand", .shortWithValue),
            ("-oPermitLocalCommand", .shortWithValue), ("-F", .shortWithValue),
        ]),
        "scp": DangerousOptions(entries: [
            ("-oProxyCommand", .shortWithValue), ("-oLocalCommand", .shortWithValue), ("-S", .shortWithValue),
            ("-F", .shortWithValue),
        ]),
        "sftp": DangerousOptions(entries: [
            ("-oProxyCommand", .shortWithValue), ("-S", .shortWithValue), ("-F", .shortWithValue),
        ]),
        "curl": DangerousOptions(entries: [
            ("--output", .long), ("--config", .long), ("--upload-file", .long),
            ("-o", .shortWithValue), ("-K", .shortWithValue), ("-T", .shortWithValue),
        ]),
        "wget": DangerousOptions(entries: [
            ("--output-document", .long), ("--execute", .long), ("--post-file", .long), ("--input-file", .long),
            ("--use-askpass", .long), ("-O", .shortWithValue), ("-e", .shortWithValue),
        ]),
        "zip": DangerousOptions(entries: [("--unzip-command", .long), ("-TT", .shortWithValue)]),
        "tcpdump": DangerousOptions(entries: [("-z", .shortWithValue), ("-w", .shortWithValue)]),
        "sendmail": DangerousOptions(entries: [("-X", .shortWithValue), ("-C", .shortWithValue)]),
        "python": DangerousOptions(entries: [("-c", .shortWithValue)]),
        "perl": DangerousOptions(entries: [("-e", .shortWithValue), ("-E", .shortWithValue)]),
        "ruby": DangerousOptions(entries: [("-e", .shortWithValue)]),
        "node": DangerousOptions(entries: [("--eval", .long), ("--require", .long), ("-e", .shortWithValue), ("-r", .shortWithValue)]),
        "php": DangerousOptions(entries: [("-r", .shortWithValue), ("-d", .shortWithValue)]),
    ]
}
