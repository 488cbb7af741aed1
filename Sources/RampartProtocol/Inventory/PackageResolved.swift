import Foundation

/// Reads the pinned packages of a SwiftPM `Package.resolved` file, in every format SwiftPM has written:
/// version 1 (`object.pins[]` with `package`, `repositoryURL`) and versions 2 and 3 (`pins[]` with `identity`,
/// `location`; version 3 adds `originHash`).
public enum PackageResolved {
    /// A malformed file, with what was wrong.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "Package.resolved: \(message)" }
    }

    /// One pinned package.
    public struct Pin: Sendable, Hashable {
        /// The package identity (v2/v3) or name (v1).
        public var identity: String
        /// The repository URL or local path.
        public var location: String
        /// The pinned version, nil for branch or revision pins.
        public var version: String?
        public var branch: String?
        public var revision: String?

        public init(identity: String, location: String, version: String?, branch: String? = nil, revision: String? = nil) {
            self.identity = identity
            self.location = location
            self.version = version
            self.branch = branch
            self.revision = revision
        }

        /// The inventory entry sent to the platform: the repository URL as name (advisories name packages by
        /// URL), and the version, else `branch NAME`, else the revision.
        public var dependency: Dependency {
            Dependency(name: location.isEmpty ? identity : location, version: version ?? branch.map { "branch \($0)" } ?? revision ?? "unknown")
        }
    }

    private struct State: Decodable {
        var version: String?
        var branch: String?
        var revision: String?
    }

    private struct PinV2: Decodable {
        var identity: String
        var location: String
        var state: State
    }

    private struct PinV1: Decodable {
        var package: String
        var repositoryURL: String
        var state: State
    }

    private struct FileV1: Decodable {
        struct Object: Decodable { var pins: [PinV1] }
        var object: Object
    }

    private struct FileV2: Decodable {
        var pins: [PinV2]
    }

    private struct Header: Decodable {
        var version: Int
    }

    /// Parses the file's contents.
    public static func parse(_ data: Data) throws -> [Pin] {
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw FormatError(message: "not a Package.resolved file (expected a JSON object with a numeric `version`)")
        }
        do {
            switch header.version {
            case 1:
                return try decoder.decode(FileV1.self, from: data).object.pins.map {
                    Pin(identity: $0.package, location: $0.repositoryURL, version: $0.state.version, branch: $0.state.branch, revision: $0.state.revision)
                }
            case 2, 3:
                return try decoder.decode(FileV2.self, from: data).pins.map {
                    Pin(identity: $0.identity, location: $0.location, version: $0.state.version, branch: $0.state.branch, revision: $0.state.revision)
                }
            default:
                throw FormatError(message: "unsupported format version \(header.version) (1, 2 and 3 are read)")
            }
        } catch let error as FormatError {
            throw error
        } catch let error as DecodingError {
            throw FormatError(message: "format version \(header.version): \(describe(error))")
        }
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws -> [Pin] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(message: "cannot read \(path)")
        }
        return try parse(data)
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
