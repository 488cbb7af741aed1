import Foundation

/// File access for paths built from request input: each call checks the path against the current request
/// (path traversal, reading files outside what the developer meant) before touching the file system.
public enum ProtectedFiles {
    /// The file's contents, after the RASP check.
    public static func contents(atPath path: String) throws -> Data {
        try RASPCheck.filePath(path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A handle for reading, after the RASP check.
    public static func fileHandle(forReadingAtPath path: String) throws -> FileHandle {
        try RASPCheck.filePath(path)
        return try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    }

    /// A handle for writing, after the RASP check.
    public static func fileHandle(forWritingAtPath path: String) throws -> FileHandle {
        try RASPCheck.filePath(path)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// Writes `data`, after the RASP check.
    public static func write(_ data: Data, toPath path: String) throws {
        try RASPCheck.filePath(path)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
