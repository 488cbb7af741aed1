/// Transformers: byte-to-byte rewrites libddwaf applies to a value before an operator sees it (decoding, case
/// and path normalisation). Each one reproduces libddwaf's own algorithm, quirks included, so that a ruleset written
/// for libddwaf matches the same values here; `scripts/transformer-oracle.py` checks that against the real library.

/// A libddwaf transformer. Raw values are libddwaf spellings (its camelCase alias where it has one);
/// `init(ddwafName:)` accepts every spelling libddwaf accepts. `keys_only` / `values_only` are input selectors,
/// not transformers, and are handled where inputs are resolved.
public enum Transformer: String, Sendable, CaseIterable {
    case lowercase = "lowercase"
    case removeNulls = "removeNulls"
    case compressWhitespace = "compressWhiteSpace"
    case normalizePath = "normalizePath"
    case normalizePathWin = "normalizePathWin"
    case unicodeNormalize = "unicode_normalize"
    case urlDecode = "urlDecode"
    /// libddwaf's `url_decode_iis`: also `%uXXXX`, and decodes again until nothing changes.
    case urlDecodeUni = "urlDecodeUni"
    case urlPath = "url_path"
    case urlBasename = "url_basename"
    case urlQuerystring = "url_querystring"
    case htmlEntityDecode = "htmlEntityDecode"
    case jsDecode = "jsDecode"
    case cssDecode = "cssDecode"
    case base64Decode = "base64Decode"
    case base64URLDecode = "base64url_decode"
    case base64Encode = "base64Encode"
    /// libddwaf's `shell_unescape`, also spelled `cmdLine` (ModSecurity's name).
    case shellUnescape = "shell_unescape"
    case removeComments = "removeComments"

    /// ModSecurity's name for `shellUnescape`; libddwaf treats both as one transformer.
    public static var cmdLine: Transformer { .shellUnescape }

    /// Parses any spelling libddwaf accepts (canonical snake_case names and their aliases).
    public init?(ddwafName: String) {
        switch ddwafName {
        case "lowercase": self = .lowercase
        case "remove_nulls", "removeNulls": self = .removeNulls
        case "compress_whitespace", "compressWhiteSpace": self = .compressWhitespace
        case "normalize_path", "normalizePath": self = .normalizePath
        case "normalize_path_win", "normalizePathWin": self = .normalizePathWin
        case "unicode_normalize": self = .unicodeNormalize
        case "url_decode", "urlDecode": self = .urlDecode
        case "url_decode_iis", "urlDecodeUni": self = .urlDecodeUni
        case "url_path", "_sqr_filename": self = .urlPath
        case "url_basename", "_sqr_basename": self = .urlBasename
        case "url_querystring", "_sqr_querystring": self = .urlQuerystring
        case "html_entity_decode", "htmlEntityDecode": self = .htmlEntityDecode
        case "js_decode", "jsDecode": self = .jsDecode
        case "css_decode", "cssDecode": self = .cssDecode
        case "base64_decode", "base64Decode": self = .base64Decode
        case "base64url_decode": self = .base64URLDecode
        case "base64_encode", "base64Encode": self = .base64Encode
        case "shell_unescape", "cmdLine": self = .shellUnescape
        case "remove_comments", "removeComments": self = .removeComments
        default: return nil
        }
    }

    /// libddwaf's canonical name.
    public var ddwafName: String {
        switch self {
        case .lowercase: "lowercase"
        case .removeNulls: "remove_nulls"
        case .compressWhitespace: "compress_whitespace"
        case .normalizePath: "normalize_path"
        case .normalizePathWin: "normalize_path_win"
        case .unicodeNormalize: "unicode_normalize"
        case .urlDecode: "url_decode"
        case .urlDecodeUni: "url_decode_iis"
        case .urlPath: "url_path"
        case .urlBasename: "url_basename"
        case .urlQuerystring: "url_querystring"
        case .htmlEntityDecode: "html_entity_decode"
        case .jsDecode: "js_decode"
        case .cssDecode: "css_decode"
        case .base64Decode: "base64_decode"
        case .base64URLDecode: "base64url_decode"
        case .base64Encode: "base64_encode"
        case .shellUnescape: "shell_unescape"
        case .removeComments: "remove_comments"
        }
    }

    /// The transformed value, or nil when the transformer leaves the value as it is (nothing is allocated then).
    /// Like libddwaf, an empty value is never transformed.
    public func apply(to input: [UInt8]) -> [UInt8]? {
        input.withUnsafeBufferPointer { apply(to: $0) }
    }

    /// The transformed value, or nil when unchanged.
    public func apply(to input: UnsafeRawBufferPointer) -> [UInt8]? {
        apply(to: UnsafeBufferPointer(start: input.baseAddress?.assumingMemoryBound(to: UInt8.self), count: input.count))
    }

    /// The transformed value, or nil when unchanged.
    public func apply(to input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard !input.isEmpty, let output = rewrite(input) else { return nil }
        // Some rewrites can give back the same bytes (a lone trailing `\` for jsDecode, ...): report those as nil too.
        if output.count == input.count, output.withUnsafeBufferPointer({ $0.elementsEqual(input) }) { return nil }
        return output
    }

    private func rewrite(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch self {
        case .lowercase: return Lowercase.apply(input)
        case .removeNulls: return RemoveNulls.apply(input)
        case .compressWhitespace: return CompressWhitespace.apply(input)
        case .normalizePath: return NormalizePath.apply(input, windows: false)
        case .normalizePathWin: return NormalizePath.apply(input, windows: true)
        case .unicodeNormalize: return UnicodeNormalize.apply(input)
        case .urlDecode: return URLDecode.apply(input)
        case .urlDecodeUni: return URLDecode.applyIIS(input)
        case .urlPath: return URLParts.path(input)
        case .urlBasename: return URLParts.basename(input)
        case .urlQuerystring: return URLParts.querystring(input)
        case .htmlEntityDecode: return HTMLEntityDecode.apply(input)
        case .jsDecode: return JSDecode.apply(input)
        case .cssDecode: return CSSDecode.apply(input)
        case .base64Decode: return Base64.decode(input, alphabet: .standard)
        case .base64URLDecode: return Base64.decode(input, alphabet: .url)
        case .base64Encode: return Base64.encode(input)
        case .shellUnescape: return ShellUnescape.apply(input)
        case .removeComments: return RemoveComments.apply(input)
        }
    }

    /// Applies `transformers` in order, each to the previous one's output, as libddwaf does for a rule or input.
    /// Nil when none of them changed anything.
    public static func apply(_ transformers: [Transformer], to input: [UInt8]) -> [UInt8]? {
        var current: [UInt8]? = nil
        for transformer in transformers {
            let next: [UInt8]?
            if let value = current {
                next = transformer.apply(to: value)
            } else {
                next = transformer.apply(to: input)
            }
            if let next { current = next }
        }
        return current
    }
}
