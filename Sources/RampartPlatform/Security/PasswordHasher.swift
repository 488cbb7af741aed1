import Crypto
import _CryptoExtras

/// Dashboard passwords, hashed with scrypt and a random salt. The stored form carries its parameters
/// (`scrypt$N$r$p$salt$hash`), so the cost can be raised later without invalidating existing hashes.
public struct PasswordHasher: Sendable {
    /// scrypt's CPU/memory cost; 2^15 with r = 8 uses 32 MiB and about 0.1 s on this class of machine.
    public var rounds: Int
    public var blockSize: Int = 8
    public var parallelism: Int = 1

    public init(rounds: Int = 1 << 15) {
        self.rounds = rounds
    }

    public func hash(_ password: String) throws -> String {
        let salt = SecretGenerator.bytes(16)
        let derived = try Self.derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(Hex.encode(salt))$\(Hex.encode(derived))"
    }

    /// Whether `password` matches `stored`; a malformed stored hash never matches.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Hex.decode(parts[4]), let expected = Hex.decode(parts[5]),
            rounds >= 2, rounds <= 1 << 20, rounds & (rounds - 1) == 0, (1...32).contains(blockSize),
            (1...16).contains(parallelism)
        else { return false }
        guard let derived = try? derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        return constantTimeEquals(derived, expected)
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: rounds, blockSize: blockSize,
            parallelism: parallelism, maxMemory: 256 * 1024 * 1024)
        return key.withUnsafeBytes { Array($0) }
    }
}
