import RampartProtocol

/// One vulnerable dependency: the package as the application reported it, and the advisory it falls under.
public struct AdvisoryFinding: Codable, Sendable, Hashable {
    /// The dependency's name as reported (repository URL or identity).
    public var package: String
    public var installedVersion: String
    public var advisoryID: String
    public var aliases: [String]
    public var summary: String
    /// Versions that fix the advisory and are newer than the installed one, lowest first (empty: no fix known).
    public var fixedVersions: [String]
}

/// Matches dependencies against OSV advisories: a dependency is affected when its repository URL normalises to
/// an advisory's `SwiftURL` package name (or, when only a package identity is known, equals the last path
/// component of that URL) and its version is in one of the ranges or listed versions.
public struct AdvisoryMatcher: Sendable {
    private struct Entry: Sendable {
        var advisory: OSVAdvisory
        var affected: OSVAdvisory.Affected
    }

    private let byURL: [String: [Entry]]
    private let byIdentity: [String: [Entry]]
    public let advisoryCount: Int

    public init(advisories: [OSVAdvisory]) {
        var byURL: [String: [Entry]] = [:]
        var byIdentity: [String: [Entry]] = [:]
        for advisory in advisories where advisory.withdrawn == nil {
            for affected in advisory.affected ?? [] {
                guard let package = affected.package, package.ecosystem == OSVAdvisory.swiftEcosystem else { continue }
                let entry = Entry(advisory: advisory, affected: affected)
                byURL[PackageURL.normalize(package.name), default: []].append(entry)
                byIdentity[PackageURL.identity(package.name), default: []].append(entry)
            }
        }
        self.byURL = byURL
        self.byIdentity = byIdentity
        self.advisoryCount = advisories.count
    }

    /// Whether the dependency's version can be evaluated (a semantic version, not a branch or commit).
    public static func isCheckable(_ dependency: Dependency) -> Bool {
        SemanticVersion(dependency.version) != nil
    }

    /// The advisories each dependency falls under, in dependency order then advisory id.
    public func findings(for dependencies: [Dependency]) -> [AdvisoryFinding] {
        var findings: [AdvisoryFinding] = []
        for dependency in dependencies {
            guard let installed = SemanticVersion(dependency.version) else { continue }
            let candidates = PackageURL.isRepository(dependency.name)
                ? byURL[PackageURL.normalize(dependency.name)] ?? []
                : byIdentity[PackageURL.normalize(dependency.name)] ?? []
            var seen: Set<String> = []
            var matched: [AdvisoryFinding] = []
            for entry in candidates where Self.affects(entry.affected, version: installed, text: dependency.version) {
                guard seen.insert(entry.advisory.id).inserted else { continue }
                matched.append(AdvisoryFinding(
                    package: dependency.name, installedVersion: dependency.version, advisoryID: entry.advisory.id,
                    aliases: entry.advisory.aliases ?? [], summary: entry.advisory.summary ?? "",
                    fixedVersions: Self.fixes(entry.affected, above: installed)))
            }
            findings += matched.sorted { $0.advisoryID < $1.advisoryID }
        }
        return findings
    }

    static func affects(_ affected: OSVAdvisory.Affected, version: SemanticVersion, text: String) -> Bool {
        if let versions = affected.versions,
            versions.contains(where: { $0 == text || SemanticVersion($0) == version })
        {
            return true
        }
        return (affected.ranges ?? []).contains { range in
            (range.type == "SEMVER" || range.type == "ECOSYSTEM") && isAffected(version, events: range.events)
        }
    }

    /// OSV's evaluation of one range: events sorted by version (`introduced: "0"` first); walking those at or
    /// below the version, `introduced` makes it affected, `fixed` (at or below) and `last_affected` (strictly
    /// below) make it unaffected; the last one reached decides.
    public static func isAffected(_ version: SemanticVersion, events: [OSVAdvisory.Event]) -> Bool {
        enum Kind { case introduced, fixed, lastAffected }
        var points: [(version: SemanticVersion?, kind: Kind)] = []
        for event in events {
            if let text = event.introduced {
                // "0" means "from the first version"; nil sorts below every version.
                guard text == "0" || SemanticVersion(text) != nil else { continue }
                points.append((text == "0" ? nil : SemanticVersion(text), .introduced))
            } else if let text = event.fixed, let fixed = SemanticVersion(text) {
                points.append((fixed, .fixed))
            } else if let text = event.lastAffected, let last = SemanticVersion(text) {
                points.append((last, .lastAffected))
            }
        }
        points.sort { left, right in
            switch (left.version, right.version) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (l?, r?): return l < r
            }
        }
        var affected = false
        for point in points {
            switch point.kind {
            case .introduced:
                if point.version.map({ version >= $0 }) ?? true { affected = true }
            case .fixed:
                if let fixed = point.version, version >= fixed { affected = false }
            case .lastAffected:
                if let last = point.version, version > last { affected = false }
            }
        }
        return affected
    }

    static func fixes(_ affected: OSVAdvisory.Affected, above installed: SemanticVersion) -> [String] {
        var fixes: [(SemanticVersion, String)] = []
        for range in affected.ranges ?? [] {
            for event in range.events {
                if let text = event.fixed, let version = SemanticVersion(text), version > installed,
                    !fixes.contains(where: { $0.0 == version })
                {
                    fixes.append((version, version.description))
                }
            }
        }
        return fixes.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
