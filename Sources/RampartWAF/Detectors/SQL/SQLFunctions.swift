/// SQL functions attackers call from injected fragments: to delay a response (blind injection), read files, or
/// leak data through errors, conversions and string building. Facts about common dialects, listed here.
enum SQLFunctions {
    /// Functions whose call alone is an attack (delays, file access, command execution, error-based leaks).
    private static let dangerous: Set<SQLWordKey> = keys("""
        sleep pg_sleep benchmark randomblob load_file pg_read_file pg_ls_dir lo_import lo_export xp_cmdshell \
        xp_dirtree xp_regread sp_oacreate extractvalue updatexml dbms_pipe receive_message utl_http utl_inaddr \
        get_host_name dbms_lock name_const exp_xml
        """)

    /// Other functions typical of injected fragments.
    private static let common: Set<SQLWordKey> = keys("""
        version database schema user current_user session_user system_user current_database db_name user_name \
        host_name suser_name suser_sname is_srvrolemember sqlite_version concat concat_ws group_concat string_agg \
        char chr nchar ascii ord unicode substring substr mid left right hex unhex md5 sha1 sha2 count length len \
        char_length convert cast if iif ifnull isnull coalesce nullif rand random floor exp make_set elt \
        json_extract row_count found_rows last_insert_id table_name column_name object_id col_name sys_context \
        to_char upper lower replace reverse trim ltrim rtrim lpad rpad instr locate position waitfor
        """)

    static func isDangerous(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let key = SQLWordKey(bytes, range) else { return false }
        return dangerous.contains(key)
    }

    static func isKnown(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let key = SQLWordKey(bytes, range) else { return false }
        return dangerous.contains(key) || common.contains(key)
    }

    private static func keys(_ words: String) -> Set<SQLWordKey> {
        Set(words.split(separator: " ").compactMap { SQLWordKey(String($0)) })
    }
}
