import Foundation
import RampartProtocol
import Testing

/// `Package.resolved` in the three formats SwiftPM has written, and malformed files.
@Suite struct PackageResolvedTests {
    static let version1 = """
        {
          "object": {
            "pins": [
              {
                "package": "swift-nio",
                "repositoryURL": "https://github.com/apple/swift-nio.git",
                "state": { "branch": null, "revision": "a1b2c3", "version": "2.40.0" }
              },
              {
                "package": "Experimental",
                "repositoryURL": "https://github.com/example/experimental.git",
                "state": { "branch": "main", "revision": "d4e5f6", "version": null }
              }
            ]
          },
          "version": 1
        }
        """

    static let version2 = """
        {
          "pins" : [
            {
              "identity" : "vapor",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/vapor/vapor.git",
              "state" : { "revision" : "0123abcd", "version" : "4.89.0" }
            },
            {
              "identity" : "pinned",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/example/pinned",
              "state" : { "revision" : "fedcba98" }
            }
          ],
          "version" : 2
        }
        """

    static let version3 = """
        {
          "originHash" : "5f0a",
          "pins" : [
            {
              "identity" : "swift-nio-http2",
              "kind" : "remoteSourceControl",
              "location" : "https://github.com/apple/swift-nio-http2.git",
              "state" : { "revision" : "99aa", "version" : "1.19.0" }
            }
          ],
          "version" : 3
        }
        """

    @Test func readsVersion1() throws {
        let pins = try PackageResolved.parse(Data(Self.version1.utf8))
        #expect(pins.map(\.identity) == ["swift-nio", "Experimental"])
        #expect(pins.map(\.dependency) == [
            Dependency(name: "https://github.com/apple/swift-nio.git", version: "2.40.0"),
            Dependency(name: "https://github.com/example/experimental.git", version: "branch main"),
        ])
    }

    @Test func readsVersion2() throws {
        let pins = try PackageResolved.parse(Data(Self.version2.utf8))
        #expect(pins.map(\.dependency) == [
            Dependency(name: "https://github.com/vapor/vapor.git", version: "4.89.0"),
            Dependency(name: "https://github.com/example/pinned", version: "fedcba98"),
        ])
        #expect(pins[1].version == nil && pins[1].revision == "fedcba98")
    }

    @Test func readsVersion3() throws {
        let pins = try PackageResolved.parse(Data(Self.version3.utf8))
        #expect(pins == [
            PackageResolved.Pin(identity: "swift-nio-http2", location: "https://github.com/apple/swift-nio-http2.git", version: "1.19.0", branch: nil, revision: "99aa")
        ])
    }

    @Test(arguments: [
        ("[]", "not a Package.resolved file"),
        (#"{"version": 9, "pins": []}"#, "unsupported format version 9"),
        (#"{"version": 2, "pins": [{"identity": "x", "state": {}}]}"#, "pins[0]: missing `location`"),
        (#"{"version": 1, "pins": []}"#, "format version 1: top level: missing `object`"),
    ])
    func malformedFilesSayWhatIsWrong(_ json: String, _ message: String) {
        do {
            _ = try PackageResolved.parse(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
