import ArgumentParser
import Foundation
import RampartWAF

/// `rampart rules ...`: the embedded default ruleset and the OWASP CRS importer.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Rulesets: print the embedded default ruleset, import OWASP CRS rules, validate a ruleset file.",
        // `rules validate` is the same command as `waf validate`, listed here where users look for it.
        subcommands: [PrintDefault.self, ImportCRS.self, WafCommand.Validate.self]
    )

    struct PrintDefault: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "default", abstract: "Print Rampart's embedded default ruleset (libddwaf JSON format).")
        func run() async throws {
            print(DefaultRuleset.json)
        }
    }

    struct ImportCRS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-crs",
            abstract: "Convert OWASP CRS SecLang rules (a rules/ directory of .conf and .data files) to a Rampart ruleset.",
            discussion: """
            Writes the ruleset to standard output and a report (skipped rules with their reasons, approximations, \
            counts) to standard error. Debian's modsecurity-crs package installs CRS under \
            /usr/share/modsecurity-crs/rules.
            """
        )

        @Argument(help: "Directory holding the CRS .conf and .data files.")
        var directory: String
        @Option(help: "Highest paranoia level to import (1-4).")
        var paranoia: Int = 1
        @Flag(help: "Make imported rules block (default: monitor only).")
        var block = false
        @Flag(help: "List every approximation, not only skipped rules.")
        var verbose = false

        func run() async throws {
            guard (1...4).contains(paranoia) else { throw ValidationError("--paranoia must be between 1 and 4") }
            let fileManager = FileManager.default
            let names: [String]
            do {
                names = try fileManager.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                throw ValidationError("cannot read directory \(directory): \(error.localizedDescription)")
            }
            var confFiles: [(name: String, contents: String)] = []
            var dataFiles: [String: String] = [:]
            for name in names {
                let path = (directory as NSString).appendingPathComponent(name)
                guard let data = fileManager.contents(atPath: path) else { continue }
                let text = String(decoding: data, as: UTF8.self)
                if name.hasSuffix(".conf") { confFiles.append((name, text)) }
                if name.hasSuffix(".data") { dataFiles[name] = text }
            }
            guard !confFiles.isEmpty else { throw ValidationError("no .conf files in \(directory)") }

            let importer = CRSImporter(options: .init(paranoiaLevel: paranoia, blocking: block))
            let result = importer.convert(confFiles: confFiles, dataFiles: dataFiles)
            print(result.rulesetJSON, terminator: "")

            var report = ""
            let reasons = Dictionary(grouping: result.skipped, by: \.reason)
            for (reason, rules) in reasons.sorted(by: { $0.value.count > $1.value.count }) {
                report += "skipped \(rules.count): \(reason): \(rules.map(\.ruleID).joined(separator: " "))\n"
            }
            if verbose {
                for approximation in result.approximations {
                    report += "approximated \(approximation.ruleID): \(approximation.note)\n"
                }
            }
            report += "imported \(result.importedRuleIDs.count) rules from \(confFiles.count) files "
                + "(paranoia level \(paranoia)); \(result.skipped.count) skipped, "
                + "\(result.aboveParanoiaLevel.count) above paranoia level \(paranoia), "
                + "\(result.bookkeeping.count) bookkeeping (scoring, gates, exclusion packages, response), "
                + "\(Set(result.approximations.map(\.ruleID)).count) imported with approximations\n"
            FileHandle.standardError.write(Data(report.utf8))
        }
    }
}
