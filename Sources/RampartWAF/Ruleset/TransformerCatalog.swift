/// Transformer names (and libddwaf's aliases) → transformation steps; the transformers live in Transformers/.
enum TransformerCatalog {
    static func step(named name: String) -> (any TransformStep)? {
        Transformer(ddwafName: name)
    }
}

extension Transformer: TransformStep {}
