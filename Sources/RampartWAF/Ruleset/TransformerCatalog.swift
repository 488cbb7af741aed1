/// Transformer names → transformation steps (the transformers live in Transformers/). A name this build does
/// not implement makes the rule using it fail to load with "unknown transformer", never silently unmatched.
enum TransformerCatalog {
    /// This build ships no byte transformers yet: only `keys_only` / `values_only`, which `RuleParser` handles
    /// as input selectors.
    static func step(named name: String) -> (any TransformStep)? {
        nil
    }
}
