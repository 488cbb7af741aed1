/// Entry point of the syntax stage: pattern text to `HIR`. (Placeholder until the parser lands.)
public enum RegexParser {
    public static func parse(_ pattern: String, options: RegexOptions = []) throws(RegexError) -> HIR {
        throw RegexError(.unsupported("parser not yet available"), offset: 0, pattern: pattern)
    }
}
