import Foundation

/// The one spelling of a package's repository used for matching: advisories name Swift packages by repository
/// URL (OSV ecosystem `SwiftURL`, e.g. `github.com/apple/swift-nio`) while `Package.resolved` holds the URL the
/// developer wrote (`https://github.com/Apple/swift-nio.git/`, `git@github.com:apple/swift-nio.git`).
public enum PackageURL {
    /// Lowercased host and path without scheme, user, port, `.git` suffix or trailing slashes; scp-style
    /// `git@host:owner/repo` becomes `host/owner/repo`: `https://GitHub.com/apple/swift-nio.git/` →
    /// `github.com/apple/swift-nio`.
    public static func normalize(_ text: String) -> String {
        var url = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        if let schemeEnd = url.range(of: "://") { url = url[schemeEnd.upperBound...] }
        if let end = url.firstIndex(where: { $0 == "?" || $0 == "#" }) { url = url[..<end] }
        let authorityEnd = url.firstIndex(of: "/") ?? url.endIndex
        if let at = url[..<authorityEnd].lastIndex(of: "@") { url = url[url.index(after: at)...] }
        let hostEnd = url.firstIndex(of: "/") ?? url.endIndex
        if let colon = url[..<hostEnd].firstIndex(of: ":") {
            let afterColon = url[url.index(after: colon)...]
            let port = afterColon.prefix { $0 != "/" }
            if !port.isEmpty, port.allSatisfy(\.isNumber) {
                url = url[..<colon] + afterColon.dropFirst(port.count)
            } else {
                url = url[..<colon] + "/" + afterColon
            }
        }
        while url.hasSuffix("/") { url = url.dropLast() }
        if url.hasSuffix(".git") { url = url.dropLast(4) }
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }

    /// Whether `text` names a repository (a host and a path) rather than a bare package identity.
    public static func isRepository(_ text: String) -> Bool {
        normalize(text).contains("/")
    }

    /// The last path component, which SwiftPM uses as the package identity.
    public static func identity(_ text: String) -> String {
        let normalized = normalize(text)
        return normalized.split(separator: "/").last.map(String.init) ?? normalized
    }
}
