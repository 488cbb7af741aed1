import RampartRegex

/// Converts OWASP Core Rule Set rules (SecLang `.conf` files) into a Rampart ruleset (libddwaf JSON format).
///
/// CRS is written for ModSecurity's anomaly-scoring engine: most rules add to a score kept in `TX` variables and a
/// final rule blocks on the total. Rampart evaluates each rule on its own, so an imported rule is a detection
/// ("this input matched CRS rule 942100"). What has no equivalent is skipped and reported per rule with the reason:
/// rules and chains reading `TX`/`IP`/`MATCHED_VAR` state, counters (`&ARGS`), bookkeeping `SecAction`s, response
/// rules, operators and transformations libddwaf lacks, and regexes using PCRE-only features (lookaround,
/// backreferences, possessive or atomic groups) that a linear-time engine cannot run.
public struct CRSImporter: Sendable {
    public struct Options: Sendable {
        /// Rules tagged `paranoia-level/N` with N above this are left out (CRS's default is 1).
        public var paranoiaLevel: Int = 1
        /// Imported rules block (`on_match: ["block"]`) when true; by default they only report (monitor).
        public var blocking: Bool = false
        public init(paranoiaLevel: Int = 1, blocking: Bool = false) {
            self.paranoiaLevel = paranoiaLevel
            self.blocking = blocking
        }
    }

    /// A CRS rule left out, and why.
    public struct Skipped: Sendable, Hashable {
        public var ruleID: String
        public var file: String
        public var reason: String
    }

    /// A CRS rule imported with a loss of precision worth knowing about (an exclusion or transformation dropped).
    public struct Approximation: Sendable, Hashable {
        public var ruleID: String
        public var note: String
    }

    public struct Conversion: Sendable {
        /// The ruleset document (libddwaf JSON 2.x).
        public var rulesetJSON: String
        public var importedRuleIDs: [String]
        /// Rules above the requested paranoia level (not an error: they were not asked for).
        public var aboveParanoiaLevel: [String]
        /// Rules that detect nothing by themselves: initialisation, paranoia-level gates (`skipAfter`), anomaly
        /// score evaluation, application exclusion packages and response rules.
        public var bookkeeping: [String]
        public var skipped: [Skipped]
        public var approximations: [Approximation]
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Converts the given `.conf` files. `dataFiles` maps a data file name (as written after `@pmFromFile`) to its
    /// contents; a missing data file skips the rule that needs it.
    public func convert(confFiles: [(name: String, contents: String)], dataFiles: [String: String]) -> Conversion {
        var rules: [JSONOutput] = []
        var imported: [String] = []
        var above: [String] = []
        var bookkeeping: [String] = []
        var skipped: [Skipped] = []
        var approximations: [Approximation] = []

        for file in confFiles.sorted(by: { $0.name < $1.name }) {
            let directives = SecLangParser.parse(file.contents, file: file.name)
            var index = 0
            while index < directives.count {
                // Gather a chain: the head and every following rule while the previous one says `chain`.
                var chain: [SecLangDirective] = [directives[index]]
                while case .rule(_, _, let actions) = chain[chain.count - 1].kind,
                      actions.contains(where: { $0.name == "chain" }),
                      index + chain.count < directives.count {
                    chain.append(directives[index + chain.count])
                }
                index += chain.count

                guard case .rule(_, _, let headActions) = chain[0].kind else { continue }
                let ruleID = headActions.first(where: { $0.name == "id" })?.value ?? "\(file.name):\(chain[0].line)"
                var context = RuleContext(ruleID: ruleID, file: file.name)
                switch convertRule(chain, context: &context, dataFiles: dataFiles) {
                case .imported(let rule):
                    rules.append(rule)
                    imported.append(ruleID)
                    approximations += context.notes.map { Approximation(ruleID: ruleID, note: $0) }
                case .aboveParanoia:
                    above.append(ruleID)
                case .bookkeeping:
                    bookkeeping.append(ruleID)
                case .skipped(let reason):
                    skipped.append(Skipped(ruleID: ruleID, file: file.name, reason: reason))
                }
            }
        }

        let document: JSONOutput = .object([
            ("version", .string("2.2")),
            ("metadata", .object([("rules_version", .string("crs-import-pl\(options.paranoiaLevel)"))])),
            ("rules", .array(rules)),
        ])
        return Conversion(rulesetJSON: document.serialized(indent: true), importedRuleIDs: imported,
                      aboveParanoiaLevel: above, bookkeeping: bookkeeping, skipped: skipped, approximations: approximations)
    }

    // MARK: - One rule

    private enum Outcome {
        case imported(JSONOutput)
        case aboveParanoia
        case bookkeeping
        case skipped(String)
    }

    private struct RuleContext {
        var ruleID: String
        var file: String
        var notes: [String] = []
    }

    private func convertRule(_ chain: [SecLangDirective], context: inout RuleContext, dataFiles: [String: String]) -> Outcome {
        guard case .rule(_, _, let headActions) = chain[0].kind else { return .skipped("not a rule") }
        let tags = headActions.filter { $0.name == "tag" }.compactMap(\.value)
        let paranoia = tags.compactMap { tag -> Int? in
            guard tag.hasPrefix("paranoia-level/") else { return nil }
            return Int(tag.dropFirst("paranoia-level/".count))
        }.first ?? 1
        if paranoia > options.paranoiaLevel { return .aboveParanoia }

        guard let type = Self.attackType(forFile: context.file) else { return .bookkeeping }
        if headActions.contains(where: { $0.name == "ctl" && ($0.value ?? "").hasPrefix("ruleRemove") }) {
            return .skipped("rule exclusion (ctl:ruleRemove...) — configure exclusions in Rampart instead")
        }
        if headActions.contains(where: { $0.name == "skipAfter" }) && !headActions.contains(where: { $0.name == "block" || $0.name == "deny" }) {
            return .bookkeeping
        }

        var conditions: [JSONOutput] = []
        for directive in chain {
            guard case .rule(let variables, let op, let actions) = directive.kind else {
                return .skipped("chain continues with a directive that is not SecRule")
            }
            switch condition(variables: variables, operatorText: op, actions: actions, context: &context, dataFiles: dataFiles) {
            case .success(let converted): conditions.append(converted)
            case .failure(let problem): return .skipped(problem.reason)
            }
        }

        var tagObject: [(String, JSONOutput)] = [
            ("type", .string(type)),
            ("category", .string("attack_attempt")),
            ("crs_id", .string(context.ruleID)),
            ("paranoia_level", .string(String(paranoia))),
            ("module", .string("waf")),
        ]
        if let stack = Self.stack(forTags: tags) { tagObject.append(("stack", .string(stack))) }
        let name = headActions.first(where: { $0.name == "msg" })?.value ?? "CRS rule \(context.ruleID)"
        let rule: JSONOutput = .object([
            ("id", .string("crs-\(context.ruleID)")),
            ("name", .string(name)),
            ("tags", .object(tagObject)),
            ("conditions", .array(conditions)),
            ("transformers", .array([])),
            ("on_match", .array(options.blocking ? [.string("block")] : [])),
        ])
        return .imported(rule)
    }

    private struct Problem: Error { var reason: String }

    private func condition(variables: String, operatorText: String, actions: [SecLangAction],
                           context: inout RuleContext, dataFiles: [String: String]) -> Result<JSONOutput, Problem> {
        // Transformations: `t:none` resets the list (CRS always starts with it).
        var transformers: [String] = []
        for action in actions where action.name == "t" {
            guard let name = action.value else { continue }
            switch Self.transformer(name) {
            case .mapped(let mapped):
                if !transformers.contains(mapped) { transformers.append(mapped) }
            case .reset:
                transformers.removeAll()
            case .dropped(let note):
                context.notes.append(note)
            case .unsupported:
                return .failure(Problem(reason: "transformation t:\(name) has no equivalent"))
            }
        }

        // Variables → inputs.
        var inputs: [JSONOutput] = []
        var unmapped: [String] = []
        for variable in variables.split(separator: "|").map(String.init) {
            if variable.hasPrefix("!") {
                context.notes.append("exclusion \(variable) ignored (inputs cannot exclude keys)")
                continue
            }
            if variable.hasPrefix("&") {
                unmapped.append(variable)
                continue
            }
            let parts = variable.split(separator: ":", maxSplits: 1).map(String.init)
            let collection = parts[0].uppercased()
            let selector = parts.count > 1 ? parts[1] : nil
            guard let targets = Self.addresses(collection: collection) else {
                unmapped.append(variable)
                continue
            }
            var keyPath: [JSONOutput] = []
            if let selector, !selector.isEmpty {
                if selector.hasPrefix("/") || collection == "XML" {
                    context.notes.append("selector \(variable) widened to the whole collection")
                } else {
                    let key = targets.lowercaseKeys ? selector.lowercased() : selector
                    keyPath = [.string(key)]
                }
            }
            for address in targets.addresses {
                var input: [(String, JSONOutput)] = [("address", .string(address))]
                if !keyPath.isEmpty { input.append(("key_path", .array(keyPath))) }
                let inputTransformers = (targets.keysOnly ? ["keys_only"] : []) + targets.extraTransformers + transformers
                if !inputTransformers.isEmpty { input.append(("transformers", .array(inputTransformers.map { .string($0) }))) }
                // ARGS and XML both reach the body, for instance: one input per distinct target is enough.
                if !inputs.contains(.object(input)) { inputs.append(.object(input)) }
            }
        }
        if inputs.isEmpty {
            let what = unmapped.isEmpty ? variables : unmapped.joined(separator: "|")
            return .failure(Problem(reason: "variables \(what) have no equivalent address (engine state, counters, response or multipart internals)"))
        }
        if !unmapped.isEmpty { context.notes.append("variables \(unmapped.joined(separator: "|")) dropped") }

        return Self.operatorCondition(operatorText, inputs: .array(inputs), dataFiles: dataFiles).mapError { Problem(reason: $0.reason) }
    }

    // MARK: - Operators

    private static func operatorCondition(_ text: String, inputs: JSONOutput, dataFiles: [String: String]) -> Result<JSONOutput, Problem> {
        var body = Substring(text)
        let negated = body.hasPrefix("!")
        if negated { body = body.dropFirst() }
        let name: String
        let argument: String
        if body.hasPrefix("@") {
            let space = body.firstIndex(of: " ") ?? body.endIndex
            name = String(body[body.index(after: body.startIndex)..<space])
            argument = space < body.endIndex ? String(body[body.index(after: space)...]) : ""
        } else {
            name = "rx"  // SecLang's default operator
            argument = String(body)
        }
        if argument.contains("%{") {
            return .failure(Problem(reason: "operator argument uses macro expansion (\(argument.prefix(40))) — depends on engine state"))
        }

        func make(_ op: String, _ parameters: [(String, JSONOutput)]) -> JSONOutput {
            .object([("operator", .string(op)), ("parameters", .object([("inputs", inputs)] + parameters))])
        }
        func regexCondition(_ pattern: String) -> Result<JSONOutput, Problem> {
            do {
                _ = try RegexParser.parse(pattern)
            } catch {
                return .failure(Problem(reason: "regex not supported by a linear-time engine: \(error.description)"))
            }
            return .success(make(negated ? "!match_regex" : "match_regex",
                                 [("regex", .string(pattern)), ("options", .object([("case_sensitive", .bool(true))]))]))
        }
        func phrases(_ list: [String]) -> Result<JSONOutput, Problem> {
            if negated { return .failure(Problem(reason: "negated phrase operator (!@\(name)) has no equivalent")) }
            let cleaned = list.filter { !$0.isEmpty }
            if cleaned.isEmpty { return .failure(Problem(reason: "@\(name) with an empty list")) }
            return .success(make("phrase_match", [("list", .array(cleaned.map { .string($0) }))]))
        }

        switch name {
        case "rx":
            return regexCondition(argument)
        case "pm":
            // @pm is case-insensitive in ModSecurity; phrase_match is not, so phrases are lowercased and the inputs
            // get `lowercase` (added by `lowercasingInputs`).
            return phrases(argument.split(separator: " ").map { String($0).lowercased() }).map(lowercasingInputs)
        case "pmFromFile", "pmf":
            var list: [String] = []
            for fileName in argument.split(separator: " ").map(String.init) {
                guard let contents = dataFiles[fileName] else {
                    return .failure(Problem(reason: "data file \(fileName) not found"))
                }
                list += contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                    .map { String($0).trimmingSpaces() }
                    .filter { !$0.isEmpty && !$0.hasPrefix("#") }
                    .map { $0.lowercased() }
            }
            return phrases(list).map(lowercasingInputs)
        case "detectSQLi":
            return negated ? .failure(Problem(reason: "negated @detectSQLi")) : .success(make("is_sqli", []))
        case "detectXSS":
            return negated ? .failure(Problem(reason: "negated @detectXSS")) : .success(make("is_xss", []))
        case "streq", "eq":
            return regexCondition("^" + escapeRegex(argument) + "$")
        case "contains":
            return regexCondition(escapeRegex(argument))
        case "beginsWith":
            return regexCondition("^" + escapeRegex(argument))
        case "endsWith":
            return regexCondition(escapeRegex(argument) + "$")
        case "within":
            // The input must be one of the listed words (CRS uses @within for method and content-type lists).
            let words = argument.split(whereSeparator: { $0 == " " || $0 == "|" }).map { escapeRegex(String($0)) }
            guard !words.isEmpty else { return .failure(Problem(reason: "@within with an empty list")) }
            return regexCondition("^(?:" + words.joined(separator: "|") + ")$")
        case "ipMatch":
            if negated { return .failure(Problem(reason: "negated @ipMatch")) }
            let list = argument.split(whereSeparator: { $0 == "," || $0 == " " }).map { JSONOutput.string(String($0)) }
            return .success(make("ip_match", [("list", .array(list))]))
        default:
            return .failure(Problem(reason: "operator @\(name) has no equivalent"))
        }
    }

    private static func lowercasingInputs(_ condition: JSONOutput) -> JSONOutput {
        condition.mappingInputs { input in
            guard case .object(var fields) = input else { return input }
            if let index = fields.firstIndex(where: { $0.0 == "transformers" }), case .array(let list) = fields[index].1 {
                if !list.contains(.string("lowercase")) { fields[index].1 = .array(list + [.string("lowercase")]) }
            } else {
                fields.append(("transformers", .array([.string("lowercase")])))
            }
            return .object(fields)
        }
    }

    static func escapeRegex(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(scalar) { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    // MARK: - Tables

    private enum TransformerMapping {
        case mapped(String)
        case reset
        case dropped(String)
        case unsupported
    }

    private static func transformer(_ name: String) -> TransformerMapping {
        switch name.lowercased() {
        case "none": .reset
        // Canonical libddwaf names, taken from `Transformer` so the output always loads in both engines.
        case "lowercase": .mapped(Transformer.lowercase.ddwafName)
        case "urldecode": .mapped(Transformer.urlDecode.ddwafName)
        case "urldecodeuni": .mapped(Transformer.urlDecodeUni.ddwafName)
        case "htmlentitydecode": .mapped(Transformer.htmlEntityDecode.ddwafName)
        case "jsdecode": .mapped(Transformer.jsDecode.ddwafName)
        case "cssdecode": .mapped(Transformer.cssDecode.ddwafName)
        // base64DecodeExt only differs by skipping invalid characters; the engine's decoder is as lenient.
        case "base64decode", "base64decodeext": .mapped(Transformer.base64Decode.ddwafName)
        case "removenulls": .mapped(Transformer.removeNulls.ddwafName)
        case "compresswhitespace": .mapped(Transformer.compressWhitespace.ddwafName)
        case "normalisepath", "normalizepath": .mapped(Transformer.normalizePath.ddwafName)
        case "normalisepathwin", "normalizepathwin": .mapped(Transformer.normalizePathWin.ddwafName)
        case "cmdline": .mapped(Transformer.shellUnescape.ddwafName)
        case "removecomments", "replacecomments": .mapped(Transformer.removeComments.ddwafName)
        // utf8toUnicode rewrites multi-byte characters as %uXXXX for a later urlDecodeUni to decode again: together
        // they leave the text as it was, so dropping it changes nothing CRS relies on.
        case "utf8tounicode": .dropped("t:utf8toUnicode dropped (no effect without ModSecurity's %u round trip)")
        case "removewhitespace": .dropped("t:removeWhitespace approximated by keeping whitespace")
        case "trim", "trimleft", "trimright": .dropped("t:\(name) dropped")
        default: .unsupported
        }
    }

    private struct Targets {
        var addresses: [String]
        var keysOnly = false
        var lowercaseKeys = false
        var extraTransformers: [String] = []
    }

    private static func addresses(collection: String) -> Targets? {
        let query = "server.request.query", body = "server.request.body", pathParams = "server.request.path_params"
        let uri = "server.request.uri.raw", headers = "server.request.headers.no_cookies", cookies = "server.request.cookies"
        switch collection {
        case "ARGS": return Targets(addresses: [query, body, pathParams])
        case "ARGS_GET": return Targets(addresses: [query])
        case "ARGS_POST", "REQUEST_BODY", "XML": return Targets(addresses: [body])
        case "ARGS_NAMES": return Targets(addresses: [query, body], keysOnly: true)
        case "ARGS_GET_NAMES": return Targets(addresses: [query], keysOnly: true)
        case "ARGS_POST_NAMES": return Targets(addresses: [body], keysOnly: true)
        case "REQUEST_COOKIES": return Targets(addresses: [cookies])
        case "REQUEST_COOKIES_NAMES": return Targets(addresses: [cookies], keysOnly: true)
        case "REQUEST_HEADERS": return Targets(addresses: [headers], lowercaseKeys: true)
        case "REQUEST_HEADERS_NAMES": return Targets(addresses: [headers], keysOnly: true)
        case "REQUEST_METHOD": return Targets(addresses: ["server.request.method"])
        case "REMOTE_ADDR": return Targets(addresses: ["http.client_ip"])
        // REQUEST_LINE ("GET /path HTTP/1.1") has no address: rules on it check the method and protocol too.
        case "REQUEST_URI", "REQUEST_URI_RAW": return Targets(addresses: [uri])
        case "REQUEST_FILENAME": return Targets(addresses: [uri], extraTransformers: ["url_path"])
        case "REQUEST_BASENAME": return Targets(addresses: [uri], extraTransformers: ["url_basename"])
        case "QUERY_STRING": return Targets(addresses: [uri], extraTransformers: ["url_querystring"])
        default: return nil
        }
    }

    /// The Rampart `type` tag for the rules of a CRS file, by its number; nil for files without request detections.
    static func attackType(forFile file: String) -> String? {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        guard base.hasPrefix("REQUEST-") else { return nil }
        let number = base.dropFirst("REQUEST-".count).prefix(3)
        switch number {
        case "911": return "method_enforcement"
        case "913": return "security_scanner"
        case "920", "921", "922": return "http_protocol_violation"
        case "930": return "lfi"
        case "931": return "rfi"
        case "932": return "command_injection"
        case "933": return "php_code_injection"
        case "934": return "js_code_injection"
        case "941": return "xss"
        case "942": return "sql_injection"
        case "943": return "session_fixation"
        case "944": return "java_code_injection"
        default: return nil
        }
    }

    private static func stack(forTags tags: [String]) -> String? {
        if tags.contains("language-php") { return "php" }
        if tags.contains("language-java") { return "java" }
        if tags.contains("language-javascript") { return "node" }
        return nil
    }
}
