import Foundation

/// One advisory in the OSV schema (https://ossf.github.io/osv-schema/), as far as matching Swift packages needs:
/// identifiers, summary, and per affected package (`ecosystem` `SwiftURL`, `name` the repository URL) the
/// version ranges (`SEMVER` or `ECOSYSTEM` events `introduced` / `fixed` / `last_affected`) and listed versions.
public struct OSVAdvisory: Codable, Sendable, Hashable {
    public var id: String
    public var aliases: [String]?
    public var summary: String?
    public var details: String?
    public var modified: String?
    public var published: String?
    /// Set when the advisory was retracted; withdrawn advisories match nothing.
    public var withdrawn: String?
    public var affected: [Affected]?
    public var references: [Reference]?

    public struct Affected: Codable, Sendable, Hashable {
        public var package: Package?
        public var ranges: [VersionRange]?
        public var versions: [String]?
    }

    public struct Package: Codable, Sendable, Hashable {
        public var ecosystem: String
        public var name: String
        public var purl: String?
    }

    public struct VersionRange: Codable, Sendable, Hashable {
        /// `SEMVER`, `ECOSYSTEM` (both evaluated as semantic versions for Swift packages) or `GIT` (commit ranges,
        /// not evaluated: inventories carry versions).
        public var type: String
        public var repo: String?
        public var events: [Event]
    }

    public struct Event: Codable, Sendable, Hashable {
        public var introduced: String?
        public var fixed: String?
        public var lastAffected: String?
        public var limit: String?

        enum CodingKeys: String, CodingKey {
            case introduced, fixed, limit
            case lastAffected = "last_affected"
        }
    }

    public struct Reference: Codable, Sendable, Hashable {
        public var type: String
        public var url: String
    }

    /// The ecosystem whose package names are repository URLs.
    public static let swiftEcosystem = "SwiftURL"

    /// Checks what matching relies on; the error names the advisory and the field.
    public func validate() throws {
        guard !id.isEmpty, id.utf8.count <= 200 else { throw AdvisoryError("an advisory needs an `id` of 1 to 200 characters") }
        for (index, entry) in (affected ?? []).enumerated() {
            let field = "affected[\(index)]"
            guard let package = entry.package else { continue }
            guard package.ecosystem == Self.swiftEcosystem else { continue }
            guard PackageURL.isRepository(package.name) else {
                throw AdvisoryError("\(id): \(field).package.name `\(package.name)` is not a repository URL (ecosystem SwiftURL)")
            }
            for (rangeIndex, range) in (entry.ranges ?? []).enumerated() where range.type == "SEMVER" || range.type == "ECOSYSTEM" {
                let rangeField = "\(field).ranges[\(rangeIndex)]"
                guard range.events.contains(where: { $0.introduced != nil }) else {
                    throw AdvisoryError("\(id): \(rangeField).events has no `introduced` event")
                }
                for (eventIndex, event) in range.events.enumerated() {
                    let values = [("introduced", event.introduced), ("fixed", event.fixed), ("last_affected", event.lastAffected), ("limit", event.limit)]
                        .compactMap { name, value in value.map { (name, $0) } }
                    guard values.count == 1, let (name, value) = values.first else {
                        throw AdvisoryError("\(id): \(rangeField).events[\(eventIndex)] must have exactly one of introduced, fixed, last_affected, limit")
                    }
                    if name == "introduced" && value == "0" || name == "limit" && value == "*" { continue }
                    guard SemanticVersion(value) != nil else {
                        throw AdvisoryError("\(id): \(rangeField).events[\(eventIndex)].\(name) `\(value)` is not a semantic version")
                    }
                }
            }
        }
    }

    /// Parses and validates one OSV JSON document.
    public static func decode(_ data: Data) throws -> OSVAdvisory {
        let advisory: OSVAdvisory
        do {
            advisory = try JSONDecoder().decode(OSVAdvisory.self, from: data)
        } catch let error as DecodingError {
            throw AdvisoryError("not an OSV advisory: \(describe(error))")
        } catch {
            throw AdvisoryError("not valid JSON")
        }
        try advisory.validate()
        return advisory
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            var text = ""
            for key in context.codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing `\(key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "invalid JSON"
        }
    }
}

/// A malformed advisory or advisory directory.
public struct AdvisoryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
