/// `ssrf_detector`: server-side request forgery in the URL of an outgoing request.
///
/// The URL is split the way a lenient client splits it (`URLLayout`), the host classified from its text in
/// every form a client accepts (`HostClassifier`: `2130706433`, `0x7f.1`, `0177.0.0.1`, `[::ffff:7f00:1]`,
/// `%31%32%37.0.0.1`, `localhost.`, `metadata.google.internal`, ...). A request parameter occurring in the URL is
/// an injection when
/// 1. it supplies the scheme and that scheme is not HTTP(S)/WS(S) (`gopher:`, `file:`, `dict:`, `ftp:`, ...);
/// 2. it supplies the whole host (or host and port) and the host is internal: loopback, private, link-local,
///    unique-local, carrier-grade NAT, cloud metadata, a reserved internal name, a single-label name — or, when the
///    caller passes the addresses the name resolved to, any of those is internal (DNS rebinding);
/// 3. it adds userinfo in the middle of the developer's authority (`https://api.example` + `@evil.host`), which
///    turns the intended host into a user name and sends the request elsewhere;
/// 4. it supplies the port of an internal host;
/// 5. in the path or query, it embeds an authority aimed at an internal host (`x@169.254.169.254/`,
///    `http://127.0.0.1/`), which URL parsers that disagree on the authority follow, or its `..` segments (also
///    percent-encoded `%2e`, `%2f`, `%5c`) climb above the path the developer put it in.
/// A parameter that sets a public host, or stays in the path or query, is not an injection: applications
/// legitimately fetch user-supplied public URLs.
public enum SSRFDetector {
    static let webSchemes: Set<String> = ["http", "https", "ws", "wss"]

    public static func detect(url: String, parameters: [UserParameter]) -> InjectionFinding? {
        detect(url: url, parameters: parameters, resolvedAddresses: [])
    }

    /// The same check, also told the IP addresses (text form) the URL's host resolved to: a parameter that chose
    /// the host is an injection when any of them is internal, even if the name looks public.
    public static func detect(url: String, parameters: [UserParameter], resolvedAddresses: [String]) -> InjectionFinding? {
        guard !parameters.isEmpty else { return nil }
        return url.withUTF8Bytes { bytes -> InjectionFinding? in
            // Parsed on the first occurrence of a parameter: most calls find none and parse nothing.
            var parsedLayout: URLLayout?
            var hostVerdict: HostClassifier.Internal??
            func internalHost(_ layout: URLLayout) -> HostClassifier.Internal? {
                if let cached = hostVerdict { return cached }
                var verdict: HostClassifier.Internal?
                if let host = layout.host {
                    verdict = HostClassifier.classify(URLLayout.normalizedHost(bytes, host))
                }
                if verdict == nil {
                    for address in resolvedAddresses {
                        if var inner = HostClassifier.classify(normalizedAddressLiteral(address)) {
                            inner.category += ", resolved from the host name"
                            verdict = inner
                            break
                        }
                    }
                }
                hostVerdict = .some(verdict)
                return verdict
            }
            var hit: (index: Int, range: Range<Int>, reason: String)?
            var cachedFacts: (index: Int, facts: ParameterFacts)?
            ParameterOccurrences.forEach(in: bytes, parameters: parameters, minimumLength: 1) { index, value, range in
                var facts = cachedFacts?.index == index ? cachedFacts?.facts ?? ParameterFacts() : ParameterFacts()
                let layout = parsedLayout ?? URLLayout(bytes)
                parsedLayout = layout
                let reason = judge(range, value: value, url: bytes, layout: layout, facts: &facts) { internalHost(layout) }
                cachedFacts = (index, facts)
                if let reason {
                    hit = (index, range, reason)
                    return false
                }
                return true
            }
            guard let hit else { return nil }
            return InjectionFinding(
                detector: "ssrf_detector", parameter: parameters[hit.index], operation: url, location: hit.range,
                reason: hit.reason)
        }
    }

    /// What is known about one parameter's value, computed once however often it occurs.
    struct ParameterFacts {
        var embedded: HostClassifier.Internal??
        /// Levels climbed by `..` segments when the parameter starts a path segment / continues one.
        var climbStartingSegment: Int??
        var climbMidSegment: Int??
    }

    static func normalizedAddressLiteral(_ address: String) -> [UInt8] {
        let bytes = Array(address.utf8)
        if bytes.contains(UInt8(ascii: ":")) && bytes.first != UInt8(ascii: "[") {
            return [UInt8(ascii: "[")] + bytes + [UInt8(ascii: "]")]
        }
        return bytes
    }

    static func judge(
        _ occurrence: Range<Int>, value: UnsafeBufferPointer<UInt8>, url: UnsafeBufferPointer<UInt8>,
        layout: URLLayout, facts: inout ParameterFacts, internalHost: () -> HostClassifier.Internal?
    ) -> String? {
        let start = occurrence.lowerBound
        let end = occurrence.upperBound
        func describe(_ target: HostClassifier.Internal) -> String {
            "`\(target.canonical)` (\(target.category))"
        }
        // 1. Scheme.
        if let scheme = layout.scheme, start <= scheme.lowerBound, end > scheme.upperBound,
           !webSchemes.contains(layout.schemeName) {
            var reason = "parameter sets the non-HTTP scheme `\(layout.schemeName):`"
            if let target = internalHost() { reason += " towards the internal host \(describe(target))" }
            return reason
        }
        if let authority = layout.authority, start < authority.upperBound {
            // 2. Whole host.
            if let host = layout.host, !host.isEmpty, start <= host.lowerBound, end >= host.upperBound {
                if let target = internalHost() {
                    return "parameter sets the request's host to the internal address \(describe(target))"
                }
            }
            // 3. Userinfo added inside the developer's authority.
            if let at = layout.userinfoEnd, start > authority.lowerBound, start <= at, end > at {
                let intended = String(decoding: UnsafeBufferPointer(rebasing: url[authority.lowerBound..<start]), as: UTF8.self)
                var reason = "parameter adds userinfo (`@`): the intended host `\(ShellScriptCheck.truncated(intended))` becomes a user name"
                if let host = layout.host {
                    let actual = String(decoding: URLLayout.normalizedHost(url, host), as: UTF8.self)
                    reason += " and the request goes to `\(ShellScriptCheck.truncated(actual))`"
                }
                if let target = internalHost() { reason += ", an internal address \(describe(target))" }
                return reason
            }
            // 4. Port of an internal host.
            if let port = layout.port, !port.isEmpty, start <= port.lowerBound, end >= port.upperBound,
               let target = internalHost() {
                let portText = String(decoding: UnsafeBufferPointer(rebasing: url[port]), as: UTF8.self)
                return "parameter chooses port \(portText) of the internal host \(describe(target))"
            }
            return nil
        }
        // 5. Path, query, fragment.
        if facts.embedded == nil { facts.embedded = .some(embeddedInternalAuthority(value)) }
        if let embedded = facts.embedded ?? nil {
            return "parameter embeds an authority aimed at the internal host \(describe(embedded)); clients that parse the URL differently send the request there"
        }
        let startsSegment = start == 0 || url[start &- 1] == UInt8(ascii: "/") || url[start &- 1] == UInt8(ascii: "\\")
        let climb: Int?
        if startsSegment {
            if facts.climbStartingSegment == nil { facts.climbStartingSegment = .some(encodedTraversal(value, startsSegment: true)) }
            climb = facts.climbStartingSegment ?? nil
        } else {
            if facts.climbMidSegment == nil { facts.climbMidSegment = .some(encodedTraversal(value, startsSegment: false)) }
            climb = facts.climbMidSegment ?? nil
        }
        if start < layout.pathEnd, let climb {
            let prefix = String(decoding: UnsafeBufferPointer(rebasing: url[layout.pathStart..<start]), as: UTF8.self)
            return "parameter's `..` segments (after percent-decoding) climb \(climb) level\(climb == 1 ? "" : "s") above the path `\(ShellScriptCheck.truncated(prefix))`"
        }
        return nil
    }

    /// `user@host…` or `scheme://host…` inside a parameter, when that host is internal.
    static func embeddedInternalAuthority(_ value: UnsafeBufferPointer<UInt8>) -> HostClassifier.Internal? {
        var i = 0
        while i < value.count {
            let c = value[i]
            var hostStart: Int?
            if c == UInt8(ascii: "@") {
                hostStart = i &+ 1
            } else if c == UInt8(ascii: ":"), i &+ 2 < value.count, value[i &+ 1] == UInt8(ascii: "/"), value[i &+ 2] == UInt8(ascii: "/") {
                hostStart = i &+ 3
            }
            if let hostStart {
                var hostEnd = hostStart
                var inBrackets = false
                while hostEnd < value.count {
                    let h = value[hostEnd]
                    if h == UInt8(ascii: "[") { inBrackets = true }
                    if h == UInt8(ascii: "]") { inBrackets = false }
                    if h == UInt8(ascii: "/") || h == UInt8(ascii: "\\") || h == UInt8(ascii: "?") || h == UInt8(ascii: "#")
                        || h == UInt8(ascii: "@") || (h == UInt8(ascii: ":") && !inBrackets) {
                        break
                    }
                    hostEnd &+= 1
                }
                if hostEnd > hostStart {
                    let host = URLLayout.normalizedHost(value, hostStart..<hostEnd)
                    // A bare word after `@` (an e-mail local domain, a handle) is not an authority: require a dot,
                    // brackets or a number.
                    let looksLikeHost = host.contains(UInt8(ascii: ".")) || host.first == UInt8(ascii: "[")
                        || HostClassifier.parseIPv4(host) != nil || c == UInt8(ascii: ":")
                    if looksLikeHost, let target = HostClassifier.classify(host) { return target }
                }
                i = hostEnd
                continue
            }
            i &+= 1
        }
        return nil
    }

    /// Levels the parameter's `..` segments climb, reading `%2e`/`%2f`/`%5c` (and `\`) as a server that decodes
    /// them would.
    static func encodedTraversal(_ value: UnsafeBufferPointer<UInt8>, startsSegment: Bool) -> Int? {
        // Cheap rejection: no dot at all (literal or encoded) means no `..`.
        var hasDot = false
        for i in 0..<value.count where value[i] == UInt8(ascii: ".") || value[i] == UInt8(ascii: "%") {
            hasDot = true
            break
        }
        guard hasDot else { return nil }
        var depth = 0
        var lowest = 0
        var segmentLength = 0
        var dots = 0
        var firstSegment = true
        var i = 0
        func endSegment() {
            if !(firstSegment && !startsSegment) {
                if segmentLength == 2 && dots == 2 {
                    depth &-= 1
                    lowest = min(lowest, depth)
                } else if segmentLength > 0 && !(segmentLength == 1 && dots == 1) {
                    depth &+= 1
                }
            }
            firstSegment = false
            segmentLength = 0
            dots = 0
        }
        while i <= value.count {
            if i == value.count { endSegment(); break }
            var c = value[i]
            var width = 1
            // Decode percent-encoding, twice for double-encoded input (`%252e` → `%2e` → `.`).
            if c == UInt8(ascii: "%"), i &+ 2 < value.count,
               let high = URLLayout.hexDigit(value[i &+ 1]), let low = URLLayout.hexDigit(value[i &+ 2]) {
                c = high << 4 | low
                width = 3
                if c == UInt8(ascii: "%"), i &+ 4 < value.count,
                   let high2 = URLLayout.hexDigit(value[i &+ 3]), let low2 = URLLayout.hexDigit(value[i &+ 4]) {
                    c = high2 << 4 | low2
                    width = 5
                }
            }
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "\\") {
                endSegment()
            } else {
                segmentLength &+= 1
                if c == UInt8(ascii: ".") { dots &+= 1 }
            }
            i &+= width
        }
        return lowest < 0 ? -lowest : nil
    }
}
