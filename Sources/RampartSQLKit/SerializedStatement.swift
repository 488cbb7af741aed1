import SQLKit

/// A query already serialized for the RASP check, handed to the wrapped database so that it is not serialized a
/// second time (SQLKit's serialization — identifier escaping, bind placeholders — costs about as much as the check).
///
/// Its text and binds are valid only at the start of a statement (bind placeholders are numbered from 1), which is
/// how drivers serialize the query they are given; anywhere else it serializes the original expression again.
struct SerializedStatement: SQLExpression {
    let original: any SQLExpression
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        guard serializer.sql.isEmpty, serializer.binds.isEmpty else {
            original.serialize(to: &serializer)
            return
        }
        serializer.sql = sql
        serializer.binds = binds
    }
}
