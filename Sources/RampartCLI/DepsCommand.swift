import ArgumentParser
import Foundation
import RampartPlatform

/// `rampart deps ...`: dependency checks usable in CI.
struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Check an application's dependencies against security advisories.",
        subcommands: [Audit.self]
    )

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Match the pins of a Package.resolved against OSV advisories.",
            discussion: "Exits 0 when no dependency is affected, 1 when one is, 2 when an input cannot be read.")

        @Argument(help: "The Package.resolved file (format version 1, 2 or 3).") var packageResolved: String = "Package.resolved"
        @Option(help: "Directory (or file) of OSV advisories in JSON.") var advisories: String
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            let report: DependencyAudit.Report
            do {
                report = try DependencyAudit.run(packageResolvedPath: packageResolved, advisoriesPath: advisories)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(DependencyAudit.ExitStatus.unusableInput.rawValue)
            }
            if json {
                print(try report.json())
            } else {
                print(report.text)
            }
            if report.isVulnerable { throw ExitCode(DependencyAudit.ExitStatus.vulnerable.rawValue) }
        }
    }
}
