import Foundation

/// Reads OSV advisories from a directory (every `*.json` below it, one advisory per file) or from one file.
public enum AdvisoryDirectory {
    /// The advisories, sorted by id. A malformed file fails the whole load with its path and the problem, so an
    /// import never half-succeeds; two files with the same id are an error too.
    public static func load(_ path: String) throws -> [OSVAdvisory] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AdvisoryError("\(path): no such file or directory")
        }
        var files: [String] = []
        if isDirectory.boolValue {
            guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                throw AdvisoryError("\(path): cannot list the directory")
            }
            while let relative = enumerator.nextObject() as? String {
                if relative.lowercased().hasSuffix(".json") { files.append((path as NSString).appendingPathComponent(relative)) }
            }
            files.sort()
        } else {
            files = [path]
        }
        var advisories: [String: (OSVAdvisory, String)] = [:]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw AdvisoryError("\(file): cannot read the file") }
            let advisory: OSVAdvisory
            do {
                advisory = try OSVAdvisory.decode(data)
            } catch let error as AdvisoryError {
                throw AdvisoryError("\(file): \(error.message)")
            }
            if let earlier = advisories[advisory.id] {
                throw AdvisoryError("\(file): advisory \(advisory.id) is also in \(earlier.1)")
            }
            advisories[advisory.id] = (advisory, file)
        }
        return advisories.values.map(\.0).sorted { $0.id < $1.id }
    }
}
