/// A value bound to or read from SQL, common to SQLite and PostgreSQL.
/// Booleans are stored as 0/1 integers and timestamps as Unix milliseconds so one schema serves both databases.
public enum SQLValue: Sendable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
    static func optionalText(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    static func optionalInt(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

/// One result row, columns by name (lower case, as both databases report unquoted identifiers).
public struct SQLRow: Sendable {
    public var values: [String: SQLValue]

    public init(values: [String: SQLValue]) {
        self.values = values
    }

    public func string(_ column: String) -> String? {
        switch values[column] {
        case .text(let text): text
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .null, nil: nil
        }
    }

    public func int(_ column: String) -> Int? {
        switch values[column] {
        case .integer(let number): Int(truncatingIfNeeded: number)
        case .real(let number) where number.isFinite && abs(number) < 9e18: Int(number)
        case .text(let text): Int(text)
        default: nil
        }
    }

    public func double(_ column: String) -> Double? {
        switch values[column] {
        case .integer(let number): Double(number)
        case .real(let number): number
        case .text(let text): Double(text)
        default: nil
        }
    }
}

/// Failures of the storage layer, with the statement that failed when there is one.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
