import Crypto

/// An application's API key: `rk_<key id>_<secret>`. The key id (public) finds the application's row; the secret
/// is stored only as HMAC-SHA256 keyed with a per-key random salt, so a database leak does not reveal keys.
public struct APIKey: Sendable, Hashable {
    public var keyID: String
    public var secret: String

    public var text: String { "rk_\(keyID)_\(secret)" }

    public static func generate() -> APIKey {
        APIKey(keyID: SecretGenerator.hex(bytes: 6), secret: SecretGenerator.hex(bytes: 24))
    }

    /// Parses `rk_<12 hex>_<48 hex>`; anything else is not a key.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "rk", parts[1].utf8.count == 12, parts[2].utf8.count == 48,
            Hex.decode(String(parts[1])) != nil, Hex.decode(String(parts[2])) != nil
        else { return nil }
        keyID = String(parts[1])
        secret = String(parts[2])
    }

    init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    /// The stored form of the secret under `salt` (hex).
    static func hash(secret: String, salt: String) -> String {
        let key = SymmetricKey(data: Hex.decode(salt) ?? Array(salt.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: key)
        return Hex.encode(mac)
    }

    static func verify(secret: String, salt: String, expectedHash: String) -> Bool {
        constantTimeEquals(Array(hash(secret: secret, salt: salt).utf8), Array(expectedHash.utf8))
    }
}
