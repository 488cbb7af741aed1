/// Locations an application never has a reason to open on a user's behalf: system configuration and
/// process information, credentials, and version-control metadata. Matched case-insensitively (macOS and Windows
/// file systems are) on a lexically normalised path.
enum SensitivePaths {
    /// Directory trees, as absolute normalised prefixes.
    static let systemTrees: [String] = [
        "/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/var/log", "/var/run/secrets", "/run/secrets",
        "/private/etc", "/private/var/root", "/var/lib/docker", "/var/spool/cron",
    ]

    /// Path components that mark credentials or secrets wherever they are.
    static let secretComponents: Set<String> = [
        ".ssh", ".aws", ".gnupg", ".kube", ".docker", ".git", ".svn", ".hg", ".env", ".netrc", ".pgpass",
        ".bash_history", ".zsh_history", ".mysql_history", ".psql_history", ".htpasswd", ".git-credentials",
        ".npmrc", ".pypirc", ".azure", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
        "authorized_keys", "ntuser.dat", "win.ini", "system.ini", "boot.ini", "web.config", "shadow", "passwd",
    ]

    /// A readable description of why `normalizedPath` is sensitive, or nil.
    static func match(_ normalizedPath: String) -> String? {
        let lowered = normalizedPath.lowercased()
        for tree in systemTrees where lowered == tree || lowered.hasPrefix(tree + "/") {
            return "inside the system directory `\(tree)`"
        }
        // Windows system directory on any drive: `c:/windows/...`.
        let utf8 = Array(lowered.utf8)
        if utf8.count >= 10, utf8[1] == UInt8(ascii: ":"), lowered.dropFirst(2).hasPrefix("/windows"),
           utf8.count == 10 || utf8[10] == UInt8(ascii: "/") {
            return "inside the Windows system directory"
        }
        for component in lowered.split(whereSeparator: { $0 == "/" }) {
            if secretComponents.contains(String(component)) || component.hasPrefix(".env.") {
                return "which names the secret or credentials location `\(component)`"
            }
        }
        return nil
    }
}
