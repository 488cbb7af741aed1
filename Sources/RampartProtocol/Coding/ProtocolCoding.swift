import Foundation

/// JSON encoders and decoders configured for the wire format: ISO 8601 dates with milliseconds, sorted keys.
public enum ProtocolCoding {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ProtocolTimestamp.string(from: date))
        }
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ProtocolTimestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 timestamp, got \(text.debugDescription)")
            }
            return date
        }
        return decoder
    }

    /// Encodes a value to JSON bytes with ``makeEncoder()``.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Decodes a value from JSON bytes with ``makeDecoder()``.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try makeDecoder().decode(type, from: data)
    }
}

/// Timestamps on the wire: ISO 8601 in UTC with milliseconds, e.g. `2026-12-03T08:41:07.125Z`.
/// Parsing also accepts the form without fractional seconds (and more than three fraction digits, truncated).
///
/// Dates are kept as whole milliseconds, `Date(timeIntervalSince1970: Double(ms) / 1000)`, both when parsed and
/// by ``truncatedToMilliseconds(_:)``, so a date survives an encode/decode round trip exactly.
public enum ProtocolTimestamp {
    public static func string(from date: Date) -> String {
        let milliseconds = wholeMilliseconds(date, rule: .toNearestOrAwayFromZero)
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        let base = Date(timeIntervalSince1970: Double(seconds)).formatted(withoutFraction)
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    public static func date(from text: String) -> Date? {
        var base = Substring(text)
        var milliseconds: Int64 = 0
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text.index(after: dot)
            let digitsEnd = text[afterDot...].firstIndex { !$0.isASCII || !$0.isNumber } ?? text.endIndex
            let digits = text[afterDot..<digitsEnd]
            guard !digits.isEmpty, digits.count <= 9 else { return nil }
            let padded = String(digits.prefix(3)) + String(repeating: "0", count: max(0, 3 - digits.count))
            guard let value = Int64(padded) else { return nil }
            milliseconds = value
            base = text[..<dot] + text[digitsEnd...]
        }
        guard let whole = try? withoutFraction.parse(String(base)) else { return nil }
        let seconds = wholeMilliseconds(whole, rule: .toNearestOrAwayFromZero) / 1000
        return Date(timeIntervalSince1970: Double(seconds * 1000 + milliseconds) / 1000)
    }

    /// Drops sub-millisecond precision, the precision the wire keeps.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(wholeMilliseconds(date, rule: .down)) / 1000)
    }

    private static func wholeMilliseconds(_ date: Date, rule: FloatingPointRoundingRule) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(rule)
        guard value.isFinite, abs(value) < 9.0e15 else { return 0 }
        return Int64(value)
    }

    private static let withoutFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt)
}

extension KeyedDecodingContainer {
    /// Decodes an ISO 8601 timestamp whatever the decoder's date strategy.
    func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = ProtocolTimestamp.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected an ISO 8601 timestamp, got \(text.debugDescription)")
        }
        return date
    }

    func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard contains(key), try decodeNil(forKey: key) == false else { return nil }
        return try decodeTimestamp(forKey: key)
    }
}

extension KeyedEncodingContainer {
    /// Encodes an ISO 8601 timestamp whatever the encoder's date strategy.
    mutating func encodeTimestamp(_ date: Date, forKey key: Key) throws {
        try encode(ProtocolTimestamp.string(from: date), forKey: key)
    }

    mutating func encodeTimestampIfPresent(_ date: Date?, forKey key: Key) throws {
        guard let date else { return }
        try encodeTimestamp(date, forKey: key)
    }
}
