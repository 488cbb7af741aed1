import Testing
@testable import RampartWAF

/// The tokenizer per dialect: quoting styles, comments, numbers, operators and placeholders.
@Suite struct SQLTokenizerTests {
    /// `kind:text` for each token, for compact expectations.
    static func describe(_ sql: String, _ dialect: SQLDialect) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLTokenizer.tokenize(bytes, dialect: dialect).map { token in
            let text = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
            return "\(token.kind):\(text)\(token.isTerminated ? "" : "…")"
        }
    }

    @Test(arguments: SQLDialect.allCases)
    func commonSyntaxInEveryDialect(_ dialect: SQLDialect) {
        #expect(Self.describe("SELECT a.b, count(*) FROM t WHERE x >= 1.5e3 AND y <> 'it''s';", dialect) == [
            "word:SELECT", "word:a", "dot:.", "word:b", "comma:,", "word:count", "openParenthesis:(", "operator:*",
            "closeParenthesis:)", "word:FROM", "word:t", "word:WHERE", "word:x", "operator:>=", "number:1.5e3",
            "word:AND", "word:y", "operator:<>", "string:'it''s'", "semicolon:;",
        ])
        #expect(Self.describe("a -- note\nb /* c */ d", dialect)
            == ["word:a", "comment:-- note", "word:b", "comment:/* c */", "word:d"])
        #expect(Self.describe("0x1F .5 12 3.", dialect) == ["number:0x1F", "number:.5", "number:12", "number:3."])
        #expect(Self.describe("x = ? AND y = $2 AND z = :name AND w = @p1", dialect).filter { $0.hasPrefix("placeholder") }
            == ["placeholder:?", "placeholder:$2", "placeholder::name",
                "placeholder:@p1"])
        #expect(Self.describe("'unterminated", dialect) == ["string:'unterminated…"])
        #expect(Self.describe("/* open", dialect) == ["comment:/* open…"])
        #expect(Self.describe("7061e51899c4 1abc", dialect) == ["word:7061e51899c4", "word:1abc"])
        #expect(Self.describe("x::int", dialect) == ["word:x", "operator:::", "word:int"])
    }

    @Test func postgresql() {
        #expect(Self.describe("SELECT $$it's; -- here$$, $tag$a $$ b$tag$", .postgresql)
            == ["word:SELECT", "string:$$it's; -- here$$", "comma:,", "string:$tag$a $$ b$tag$"])
        #expect(Self.describe("E'it\\'s' 'a\\' b", .postgresql) == ["string:E'it\\'s'", "string:'a\\'", "word:b"])
        #expect(Self.describe("/* a /* b */ c */ d", .postgresql) == ["comment:/* a /* b */ c */", "word:d"])
        #expect(Self.describe("\"Col\"\"x\" # 1", .postgresql) == ["quotedIdentifier:\"Col\"\"x\"", "operator:#", "number:1"])
        #expect(Self.describe("`a`", .postgresql) == ["other:`", "word:a", "other:`"])
    }

    @Test func mysql() {
        #expect(Self.describe("SELECT \"it\\\"s\", 'a\\'b' # rest", .mysql)
            == ["word:SELECT", "string:\"it\\\"s\"", "comma:,", "string:'a\\'b'", "comment:# rest"])
        #expect(Self.describe("`my col` --x", .mysql) == ["quotedIdentifier:`my col`", "operator:-", "operator:-", "word:x"])
        #expect(Self.describe("1 -- x", .mysql) == ["number:1", "comment:-- x"])
        #expect(Self.describe("/* a /* b */ c */", .mysql) == ["comment:/* a /* b */", "word:c", "operator:*", "operator:/"])
        #expect(Self.describe("x <=> y", .mysql) == ["word:x", "operator:<=>", "word:y"])
        #expect(Self.describe("/*!50000UNION*/ 2*3", .mysql)
            == ["comment:/*!50000", "word:UNION", "comment:*/", "number:2", "operator:*", "number:3"])
        #expect(Self.describe("/*!UNION*/", .postgresql) == ["comment:/*!UNION*/"])
    }

    @Test func sqlite() {
        #expect(Self.describe("[a b] `c` \"d\" 'e'", .sqlite)
            == ["quotedIdentifier:[a b]", "quotedIdentifier:`c`", "quotedIdentifier:\"d\"", "string:'e'"])
        #expect(Self.describe("x = ?1 OR y = $name", .sqlite).contains("placeholder:?1"))
        #expect(Self.describe("x = ?1 OR y = $name", .sqlite).contains("placeholder:$name"))
    }

    @Test func sqlServer() {
        #expect(Self.describe("SELECT [Order Details], N'ünï' FROM #temp WHERE x = @@version", .sqlserver) == [
            "word:SELECT", "quotedIdentifier:[Order Details]", "comma:,", "string:N'ünï'", "word:FROM",
            "word:#temp", "word:WHERE", "word:x", "operator:=", "placeholder:@@version",
        ])
        #expect(Self.describe("/* a /* b */ c */ d", .sqlserver) == ["comment:/* a /* b */ c */", "word:d"])
        #expect(Self.describe("[unterminated", .sqlserver) == ["quotedIdentifier:[unterminated…"])
    }

    @Test func oracle() {
        #expect(Self.describe("q'[it's]' || Q'{a}' || nq'<b>' || q'!c!'", .oracle) == [
            "string:q'[it's]'", "operator:||", "string:Q'{a}'", "operator:||", "string:nq'<b>'", "operator:||",
            "string:q'!c!'",
        ])
        #expect(Self.describe("x = :1 AND y = :bind", .oracle).filter { $0.hasPrefix("placeholder") }
            == ["placeholder::1", "placeholder::bind"])
        #expect(Self.describe("q'[open", .oracle) == ["string:q'[open…"])
    }

    @Test func generic() {
        #expect(Self.describe("`a` \"b\" [c] # d", .generic)
            == ["quotedIdentifier:`a`", "quotedIdentifier:\"b\"", "other:[", "word:c", "other:]", "operator:#", "word:d"])
    }

    @Test func dialectNames() {
        #expect(SQLDialect(dbType: "pgsql") == .postgresql)
        #expect(SQLDialect(dbType: "PostgreSQL") == .postgresql)
        #expect(SQLDialect(dbType: "mariadb") == .mysql)
        #expect(SQLDialect(dbType: "mssql") == .sqlserver)
        #expect(SQLDialect(dbType: "sqlserver") == .sqlserver)
        #expect(SQLDialect(dbType: "sqlite") == .sqlite)
        #expect(SQLDialect(dbType: "oracle") == .oracle)
        #expect(SQLDialect(dbType: "db2") == .generic)
    }

    @Test func keywords() {
        #expect(SQLKeyword.lookup("union")?.category == .setOperation)
        #expect(SQLKeyword.lookup("Select")?.category == .statement)
        #expect(SQLKeyword.lookup("DESC")?.category == .sortDirection)
        #expect(SQLKeyword.lookup("customer") == nil)
        #expect(SQLKeyword.lookup("a_very_long_identifier_name") == nil)
    }
}
