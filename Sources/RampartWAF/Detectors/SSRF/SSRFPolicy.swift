/// libddwaf's `ssrf_detector@v3` configuration: which URL parts a parameter may not reach (`options`) and which
/// schemes, domains and IPs are off limits (`policy`; defaults when absent: web schemes only, Rampart's internal
/// host classification).
struct SSRFPolicy: Sendable {
    var authorityInspection = true
    var pathInspection = false
    var queryInspection = false
    var forbidFullURLInjection = false
    var enforcePolicyWithoutInjection = false
    var allowedSchemes: Set<String>?
    var forbiddenDomains: [String]?
    var forbiddenIPs: IPSet?

    static let defaultAllowedSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp", "sftp"]

    /// Why the URL about to be fetched breaks the policy, nil when it doesn't.
    func violation(url: UnsafeBufferPointer<UInt8>, layout: URLLayout, scheme: Bool, host: Bool) -> String? {
        if scheme, layout.scheme != nil,
            !(allowedSchemes ?? Self.defaultAllowedSchemes).contains(layout.schemeName)
        {
            return "scheme `\(layout.schemeName)` is not allowed"
        }
        guard host, let range = layout.host, !range.isEmpty else { return nil }
        let normalized = URLLayout.normalizedHost(url, range)
        let name = String(decoding: normalized, as: UTF8.self)
        if forbiddenDomains == nil && forbiddenIPs == nil {
            return HostClassifier.classify(normalized).map { "host \(name) is \($0.category)" }
        }
        if let forbiddenDomains,
            forbiddenDomains.contains(where: { name == $0.lowercased() || name.hasSuffix("." + $0.lowercased()) })
        {
            return "host \(name) is a forbidden domain"
        }
        var literal = name
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if let forbiddenIPs, forbiddenIPs.contains(literal) { return "host \(name) is a forbidden address" }
        if forbiddenIPs == nil, let address = HostClassifier.parseIPv4(normalized),
            let verdict = HostClassifier.classifyIPv4(address)
        {
            return "host \(name) is \(verdict.category)"
        }
        return nil
    }

    /// The first parameter reaching a part of `url` the options protect, or (with
    /// `enforce-policy-without-injection`) a URL breaking the policy on its own.
    func detect(url: String, parameters: [UserParameter]) -> (reason: String, parameter: UserParameter?)? {
        let bytes = Array(url.utf8)
        return bytes.withUnsafeBufferPointer { url -> (String, UserParameter?)? in
            let layout = URLLayout(url)
            for parameter in parameters {
                let value = Array(parameter.value.utf8)
                guard !value.isEmpty, let start = Self.firstIndex(of: value, in: url) else { continue }
                let end = start &+ value.count
                if start == 0 && end == url.count {
                    if forbidFullURLInjection { return ("parameter is the whole URL", parameter) }
                    continue
                }
                if authorityInspection, let authority = layout.authority, start < authority.upperBound {
                    let reachesScheme = layout.scheme.map { start < $0.upperBound } ?? false
                    let host = layout.host ?? authority
                    if start <= host.lowerBound, end > authority.upperBound {
                        return ("parameter sets the host and the path", parameter)
                    }
                    let reachesHost = start < host.upperBound && end > host.lowerBound
                    if let reason = violation(url: url, layout: layout, scheme: reachesScheme, host: reachesHost) {
                        return ("parameter injects into the authority: " + reason, parameter)
                    }
                    continue
                }
                if pathInspection, start >= layout.pathStart, end <= layout.pathEnd,
                    Self.firstIndex(of: Array("../".utf8), in: value) != nil
                        || Self.firstIndex(of: Array("..\\".utf8), in: value) != nil
                {
                    return ("parameter climbs the path with ..", parameter)
                }
                if queryInspection, start >= layout.pathEnd,
                    value.contains(UInt8(ascii: "&")) || value.contains(UInt8(ascii: "#"))
                {
                    return ("parameter adds query parameters", parameter)
                }
            }
            if enforcePolicyWithoutInjection,
                let reason = violation(url: url, layout: layout, scheme: true, host: true)
            {
                return (reason, nil)
            }
            return nil
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: some Collection<UInt8>) -> Int? {
        let bytes = Array(haystack)
        guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
