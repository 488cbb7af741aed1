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
/// Parsing also accepts the form without fractional seconds.
public enum ProtocolTimestamp {
    public static func string(from date: Date) -> String {
        date.formatted(withFraction)
    }

    public static func date(from text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return date }
        return try? withoutFraction.parse(text)
    }

    /// Rounds to the millisecond, the precision the wire keeps.
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
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
