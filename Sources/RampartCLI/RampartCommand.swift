import ArgumentParser

/// `rampart`: Rampart's command line (regex, WAF and RASP tools).
@main
struct RampartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rampart",
        abstract: "Rampart: runtime application self-protection for server-side Swift.",
        subcommands: [
            WafCommand.self, RulesCommand.self, DetectCommand.self, RaspCommand.self, RegexCommand.self,
            PlatformCommand.self, DemoCommand.self, DepsCommand.self,
        ]
    )
}
