import Crypto
import Foundation

/// The `Rampart-Signature` header of webhook deliveries: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC keyed
/// with the webhook's signing secret (its UTF-8 bytes) over `"<t>." + body`. Signing the timestamp with the body
/// lets a receiver refuse old deliveries replayed by whoever captured one; each retry is signed afresh.
/// docs/platform.md gives the receiver's recipe.
public enum WebhookSignature {
    public static let headerName = "Rampart-Signature"

    /// A new signing secret: `whsec_` and 32 random bytes in hex.
    static func generateSecret() -> String {
        "whsec_" + SecretGenerator.hex(bytes: 32)
    }

    /// The header value for `body` sent at `timestamp` (Unix seconds).
    public static func header(secret: String, timestamp: Int64, body: some DataProtocol) -> String {
        "t=\(timestamp),v1=\(Hex.encode(mac(secret: secret, timestamp: timestamp, body: body)))"
    }

    /// Whether `header` is a valid signature of `body` under `secret`, made at most `tolerance` seconds from
    /// `now`. Compares in constant time; any malformed header is simply invalid.
    public static func verify(
        header: String, body: some DataProtocol, secret: String, now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(Hex.encode(mac(secret: secret, timestamp: timestamp, body: body)).utf8)
        return signatures.contains { candidate in
            let bytes = Array(candidate.lowercased().utf8)
            guard bytes.count == expected.count else { return false }
            var difference: UInt8 = 0
            for (left, right) in zip(bytes, expected) { difference |= left ^ right }
            return difference == 0
        }
    }

    private static func mac(secret: String, timestamp: Int64, body: some DataProtocol) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
        hmac.update(data: Data("\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }
}
