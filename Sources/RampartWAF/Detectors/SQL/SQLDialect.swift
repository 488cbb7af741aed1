/// The SQL dialect a statement is written in: it decides how strings, identifiers and comments are delimited.
public enum SQLDialect: String, Sendable, CaseIterable {
    case postgresql, mysql, sqlite, sqlserver, oracle, generic

    /// Accepts libddwaf's `db_type` / `server.db.system` strings; anything unknown is `generic`.
    public init(dbType: String) {
        switch dbType.lowercased() {
        case "pgsql", "postgresql", "postgres": self = .postgresql
        case "mysql", "mariadb": self = .mysql
        case "sqlite", "sqlite3": self = .sqlite
        case "mssql", "sqlserver", "sql server", "microsoft.sql_server", "microsoft sql server": self = .sqlserver
        case "oracle": self = .oracle
        default: self = .generic
        }
    }
}

/// The lexical rules of one dialect, as flags the tokenizer reads.
struct SQLSyntax: Sendable {
    /// `# comment` to end of line (MySQL).
    var hashComments = false
    /// `--` starts a comment only when followed by whitespace, a control character or the end (MySQL).
    var dashCommentNeedsSpace = false
    /// `/* /* */ */` nests (PostgreSQL, SQL Server).
    var nestedBlockComments = false
    /// `\'` escapes inside every `'…'` and `"…"` string (MySQL's default mode).
    var backslashEscapes = false
    /// `"…"` is a string rather than an identifier (MySQL).
    var doubleQuotedStrings = false
    /// `` `ident` `` (MySQL, SQLite, generic).
    var backtickIdentifiers = false
    /// `[ident]` (SQL Server, SQLite).
    var bracketIdentifiers = false
    /// `$$…$$` and `$tag$…$tag$` (PostgreSQL).
    var dollarQuotes = false
    /// `E'…'` strings with backslash escapes (PostgreSQL).
    var escapeStrings = false
    /// `q'[…]'` alternative quoting (Oracle).
    var alternativeQuoting = false
    /// `#temp` is an identifier (SQL Server temporary tables).
    var hashIdentifiers = false
    /// `/*! … */` holds SQL that MySQL executes.
    var executableComments = false

    init(dialect: SQLDialect) {
        switch dialect {
        case .postgresql:
            nestedBlockComments = true
            dollarQuotes = true
            escapeStrings = true
        case .mysql:
            hashComments = true
            dashCommentNeedsSpace = true
            backslashEscapes = true
            doubleQuotedStrings = true
            backtickIdentifiers = true
            executableComments = true
        case .sqlite:
            backtickIdentifiers = true
            bracketIdentifiers = true
        case .sqlserver:
            bracketIdentifiers = true
            nestedBlockComments = true
            hashIdentifiers = true
        case .oracle:
            alternativeQuoting = true
        case .generic:
            backtickIdentifiers = true
        }
    }

    /// The permissive syntax used on a lone untrusted string, whose dialect is unknown: every comment style an
    /// attacker could use to cut a statement short, `"…"` as a string (MySQL), and no backslash escapes (in
    /// standard SQL a backslash does not protect a quote).
    static let untrustedInput: SQLSyntax = {
        var syntax = SQLSyntax(dialect: .generic)
        syntax.hashComments = true
        syntax.doubleQuotedStrings = true
        syntax.executableComments = true
        return syntax
    }()
}
