/// The role a reserved word plays, as far as injection detection cares.
public enum SQLKeywordCategory: Sendable, Hashable {
    /// `AND`, `OR`, `XOR`, `NOT`.
    case logic
    /// `UNION`, `INTERSECT`, `EXCEPT`, `MINUS`.
    case setOperation
    /// Words that start a statement: `SELECT`, `INSERT`, `DROP`, `EXEC`, `WAITFOR`, …
    case statement
    /// `LIKE`, `IN`, `IS`, `BETWEEN`, `REGEXP`, …: binary predicates.
    case predicate
    /// `NULL`, `TRUE`, `FALSE`, `DEFAULT`: literal values.
    case literal
    /// `ASC`, `DESC`: sort directions an application commonly takes from a request.
    case sortDirection
    /// Clause words: `FROM`, `WHERE`, `ORDER`, `BY`, `LIMIT`, `INTO`, …
    case clause
    /// Other reserved words.
    case other
}

/// A reserved SQL word, recognised case-insensitively.
public struct SQLKeyword: Sendable, Hashable {
    /// Upper-case spelling.
    public let name: String
    public let category: SQLKeywordCategory

    /// Whether this word alone, supplied by a request, changes what a statement does (`OR`, `UNION`, `DROP`), as
    /// opposed to words applications take from requests or that double as column names (`DESC`, `NULL`, `user`).
    public var changesStatementAlone: Bool {
        switch category {
        case .logic, .setOperation, .statement: true
        case .predicate, .clause, .literal, .sortDirection, .other: false
        }
    }

    /// The keyword spelled by `bytes[range]`, or nil for identifiers and other words.
    public static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> SQLKeyword? {
        guard let key = SQLWordKey(bytes, range) else { return nil }
        return table[key]
    }

    static func lookup(_ text: String) -> SQLKeyword? {
        var text = text
        return text.withUTF8 { lookup($0, 0..<$0.count) }
    }

    private static let table: [SQLWordKey: SQLKeyword] = {
        var table: [SQLWordKey: SQLKeyword] = [:]
        func add(_ category: SQLKeywordCategory, _ words: String) {
            for word in words.split(separator: " ") {
                let name = String(word)
                if let key = SQLWordKey(name) { table[key] = SQLKeyword(name: name, category: category) }
            }
        }
        add(.logic, "AND OR XOR NOT")
        add(.setOperation, "UNION INTERSECT EXCEPT MINUS")
        add(.statement, """
            SELECT INSERT UPDATE DELETE DROP CREATE ALTER TRUNCATE RENAME REPLACE MERGE EXEC EXECUTE CALL WAITFOR \
            DECLARE SHUTDOWN GRANT REVOKE DENY LOAD HANDLER BACKUP RESTORE ATTACH DETACH PRAGMA VACUUM COPY \
            BEGIN COMMIT ROLLBACK SAVEPOINT LOCK UNLOCK KILL DBCC OPENROWSET OPENQUERY OPENDATASOURCE BULK \
            SHOW DESCRIBE USE
            """)
        add(.predicate, "LIKE ILIKE RLIKE REGEXP SIMILAR IN IS BETWEEN SOUNDS GLOB MATCH ESCAPE EXISTS DIV MOD")
        add(.literal, "NULL TRUE FALSE DEFAULT UNKNOWN")
        add(.sortDirection, "ASC DESC")
        add(.clause, """
            FROM WHERE GROUP ORDER BY HAVING LIMIT OFFSET FETCH INTO VALUES SET JOIN INNER OUTER LEFT RIGHT \
            FULL CROSS NATURAL ON USING AS DISTINCT ALL TOP WITH RETURNING WINDOW PROCEDURE OUTFILE DUMPFILE \
            CASE WHEN THEN ELSE END TABLE DATABASE SCHEMA VIEW INDEX TRIGGER FUNCTION USER COLUMN CONSTRAINT \
            PRIMARY FOREIGN REFERENCES CHECK UNIQUE DELAY COLLATE CAST CONVERT ANY SOME FOR OF
            """)
        add(.other, "NULLS FIRST LAST ROWS ROW ONLY NEXT PERCENT TIES OVER PARTITION LATERAL RECURSIVE")
        return table
    }()
}

/// A word folded to lower case and packed into 16 bytes: a fast, allocation-free dictionary key. Words longer than
/// 16 bytes or with non-ASCII bytes have no key (no SQL keyword or known function is like that).
struct SQLWordKey: Hashable, Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty, range.count <= 16 else {
            return nil
        }
        var index = 0
        for offset in range {
            var byte = bytes[offset]
            guard byte < 0x80 else { return nil }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if index < 8 {
                low |= UInt64(byte) &<< UInt64(index &* 8)
            } else {
                high |= UInt64(byte) &<< UInt64((index &- 8) &* 8)
            }
            index &+= 1
        }
    }

    init?(_ text: String) {
        var text = text
        guard let key = text.withUTF8({ SQLWordKey($0, 0..<$0.count) }) else { return nil }
        self = key
    }
}
