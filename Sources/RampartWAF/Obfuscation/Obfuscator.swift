import RampartRegex

/// Obfuscation/: redaction of sensitive data in events before they leave the engine.

/// Replaces matched values with `<Redacted>` in events when the value sits under a sensitive key (password,
/// token, ...) or looks like a secret itself (bearer tokens, JWTs, private keys). Defaults are equivalent to
/// Datadog's `DD_APPSEC_OBFUSCATION_PARAMETER_KEY_REGEXP` / `..._VALUE_REGEXP`.
public struct Obfuscator: Sendable {
    public static let redacted = "<Redacted>"

    public static let defaultKeyPattern =
        #"(?i)pass|pw(?:or)?d|secret|(?:api|private|public|access)[_-]?key|token|consumer[_-]?(?:id|key|secret)|sign(?:ed|ature)|bearer|authorization|jsessionid|phpsessid|asp\.net[_-]sessionid|sid|jwt"#

    public static let defaultValuePattern =
        #"(?i)(?:p(?:ass)?w(?:or)?d|pass(?:[_-]?phrase)?|secret(?:[_-]?key)?|(?:(?:api|private|public|access)[_-]?)key(?:[_-]?id)?|(?:(?:auth|access|id|refresh)[_-]?)?token|consumer[_-]?(?:id|key|secret)|sign(?:ed|ature)?|auth(?:entication|orization)?|jsessionid|phpsessid|asp\.net(?:[_-]|-)sessionid|sid|jwt)(?:\s*=([^;&]+)|"\s*:\s*("[^"]+"|\d+))|bearer\s+([a-z0-9\._\-]+)|token\s*:\s*([a-z0-9]{13})|gh[opsu]_([0-9a-zA-Z]{36})|ey[I-L][\w=-]+\.(ey[I-L][\w=-]+(?:\.[\w.+\/=-]+)?)|[\-]{5}BEGIN[a-z\s]+PRIVATE\sKEY[\-]{5}([^\-]+)[\-]{5}END[a-z\s]+PRIVATE\sKEY|ssh-rsa\s*([a-z0-9\/\.+]{100,})"#

    let keyRegex: SafeRegex?
    let valueRegex: SafeRegex?

    /// Empty patterns disable that half. Throws when a pattern is not a valid regex.
    public init(keyPattern: String = defaultKeyPattern, valuePattern: String = defaultValuePattern) throws(RegexError) {
        keyRegex = keyPattern.isEmpty ? nil : try SafeRegex(keyPattern)
        valueRegex = valuePattern.isEmpty ? nil : try SafeRegex(valuePattern)
    }

    /// Datadog-equivalent defaults (nil only if the built-in patterns failed to compile).
    public static let standard: Obfuscator? = try? Obfuscator()

    public func isSensitiveKey(_ key: String) -> Bool {
        keyRegex?.matches(key) ?? false
    }

    public func isSensitiveValue(_ value: String) -> Bool {
        valueRegex?.matches(value) ?? false
    }

    /// The event with sensitive values and highlights replaced.
    @Sendable public func obfuscate(_ event: WAFEvent) -> WAFEvent {
        var event = event
        for matchIndex in event.ruleMatches.indices {
            for parameterIndex in event.ruleMatches[matchIndex].parameters.indices {
                var parameter = event.ruleMatches[matchIndex].parameters[parameterIndex]
                let sensitiveKey = parameter.keyPath.contains { component in
                    if case .key(let key) = component { return isSensitiveKey(key) }
                    return false
                }
                if sensitiveKey || isSensitiveValue(parameter.value) {
                    parameter.value = Self.redacted
                    parameter.highlight = parameter.highlight.map { _ in Self.redacted }
                } else {
                    parameter.highlight = parameter.highlight.map { isSensitiveValue($0) ? Self.redacted : $0 }
                }
                event.ruleMatches[matchIndex].parameters[parameterIndex] = parameter
            }
        }
        return event
    }
}
