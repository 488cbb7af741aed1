import Foundation
import RampartProtocol

/// `rampart deps audit`: the pins of a `Package.resolved` checked against an OSV advisory directory.
public struct DependencyAudit: Sendable {
    public struct Report: Codable, Sendable, Hashable {
        public var packageResolved: String
        public var advisories: Int
        public var dependencies: Int
        /// Pins to a branch or revision, whose version cannot be compared.
        public var unchecked: [String]
        public var findings: [AdvisoryFinding]

        public var isVulnerable: Bool { !findings.isEmpty }

        /// Human-readable findings, one block per vulnerable package.
        public var text: String {
            var lines: [String] = []
            if findings.isEmpty {
                lines.append("No known vulnerable dependency: \(dependencies) dependencies of \(packageResolved) checked against \(advisories) advisories.")
            } else {
                let packages = Set(findings.map(\.package)).count
                lines.append("\(findings.count) advisories affect \(packages) of \(dependencies) dependencies in \(packageResolved) (\(advisories) advisories checked):")
                for finding in findings {
                    let aliases = finding.aliases.isEmpty ? "" : " (\(finding.aliases.joined(separator: ", ")))"
                    lines.append("")
                    lines.append("  \(finding.package) \(finding.installedVersion)")
                    lines.append("    \(finding.advisoryID)\(aliases): \(finding.summary)")
                    lines.append("    fixed in: \(finding.fixedVersions.isEmpty ? "no fixed version known" : finding.fixedVersions.joined(separator: ", "))")
                }
            }
            if !unchecked.isEmpty {
                lines.append("")
                lines.append("Not checked (pinned to a branch or revision): \(unchecked.joined(separator: ", "))")
            }
            return lines.joined(separator: "\n")
        }

        public func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
    }

    /// Exit status of the command: 0 nothing vulnerable, 1 vulnerable, 2 the inputs could not be read.
    public enum ExitStatus: Int32, Sendable {
        case clean = 0
        case vulnerable = 1
        case unusableInput = 2
    }

    public static func run(packageResolvedPath: String, advisoriesPath: String) throws -> Report {
        let pins = try PackageResolved.read(path: packageResolvedPath)
        let advisories = try AdvisoryDirectory.load(advisoriesPath)
        let dependencies = pins.map(\.dependency)
        let matcher = AdvisoryMatcher(advisories: advisories)
        return Report(
            packageResolved: packageResolvedPath, advisories: advisories.count, dependencies: dependencies.count,
            unchecked: dependencies.filter { !AdvisoryMatcher.isCheckable($0) }.map { "\($0.name) (\($0.version))" },
            findings: matcher.findings(for: dependencies))
    }
}
