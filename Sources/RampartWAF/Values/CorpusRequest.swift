/// One line of the shared labelled request corpus (`corpus/CORPUS.md`) mapped to WAF addresses exactly as that
/// document (and libddwaf's oracle script) describe; used by `rampart waf eval|bench` and the benchmarks.
public struct CorpusRequest: Sendable {
    public let id: String
    public let addresses: [String: WAFValue]

    /// Every request of a JSON Lines corpus (blank lines skipped).
    public static func parse(jsonLines data: [UInt8]) throws(JSONParseError) -> [CorpusRequest] {
        var requests: [CorpusRequest] = []
        for line in data.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            requests.append(CorpusRequest(json: try WAFValue(jsonBytes: Array(line))))
        }
        return requests
    }

    public init(json: WAFValue) {
        id = json["id"]?.stringValue ?? ""
        var headerPairs: [(String, String)] = []
        if case .array(let headers)? = json["headers"] {
            for header in headers {
                if let name = header[0]?.stringValue, let value = header[1]?.stringValue {
                    headerPairs.append((name, value))
                }
            }
        }
        let path = json["path"]?.stringValue ?? ""
        let query = json["query"]?.stringValue ?? ""
        var cookieEntries: [WAFValue.Entry] = []
        for (name, value) in headerPairs where name.lowercased() == "cookie" {
            if case .map(let entries) = WAFValue.cookies(value) { cookieEntries = Self.merge(cookieEntries, entries) }
        }
        var addresses: [String: WAFValue] = [
            "server.request.method": .string(json["method"]?.stringValue ?? "GET"),
            "server.request.uri.raw": .string(query.isEmpty ? path : path + "?" + query),
            "server.request.query": .query(query),
            "server.request.headers.no_cookies": .headers(headerPairs),
            "server.request.cookies": .map(cookieEntries),
            "http.client_ip": .string(json["client_ip"]?.stringValue ?? "127.0.0.1"),
        ]
        if let pathParams = json["path_params"], case .map(let entries) = pathParams, !entries.isEmpty {
            addresses["server.request.path_params"] = pathParams
        }
        if let user = json["user_id"]?.stringValue, !user.isEmpty {
            addresses["usr.id"] = .string(user)
        }
        if let body = json["body"]?.stringValue {
            let contentType = headerPairs.first(where: { $0.0.lowercased() == "content-type" })?.1 ?? ""
            if contentType.contains("json") {
                if let parsed = try? WAFValue(jsonBytes: Array(body.utf8)) {
                    addresses["server.request.body"] = parsed
                }
            } else if contentType.contains("x-www-form-urlencoded") {
                addresses["server.request.body"] = .form(body)
            }
        }
        self.addresses = addresses
    }

    /// Cookies from several `Cookie` headers: values of a repeated name are appended to its list.
    private static func merge(_ existing: [WAFValue.Entry], _ more: [WAFValue.Entry]) -> [WAFValue.Entry] {
        var result = existing
        for entry in more {
            if let index = result.firstIndex(where: { $0.key == entry.key }),
                case .array(let old) = result[index].value, case .array(let new) = entry.value
            {
                result[index].value = .array(old + new)
            } else {
                result.append(entry)
            }
        }
        return result
    }
}
