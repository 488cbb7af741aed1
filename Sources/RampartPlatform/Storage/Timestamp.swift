import Foundation

/// Unix milliseconds, the storage form of every date.
enum Timestamp {
    static func now() -> Int64 { milliseconds(Date()) }

    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite, abs(value) < 9.2e18 else { return value < 0 ? 0 : Int64.max }
        return Int64(value)
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
