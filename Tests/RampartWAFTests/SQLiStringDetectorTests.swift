import Testing
@testable import RampartWAF

/// `is_sqli` on single untrusted strings: injections in each context, and prose full of SQL look-alikes.
@Suite struct SQLiStringDetectorTests {
    static let attacks: [String] = [
        // after a single quote
        "' OR '1'='1", "1' OR '1'='1", "' OR 'x'='x", "admin'--", "admin' #", "admin'/*", "' OR 1=1--",
        "' OR 1=1 LIMIT 1 -- -", "' UNION SELECT username, password FROM users--", "' UNION ALL SELECT NULL,NULL--",
        "x' UNION SELECT 1,2,3#", "';WAITFOR DELAY '0:0:5'--", "'; DROP TABLE users; --", "'; EXEC xp_cmdshell 'dir'--",
        "'; INSERT INTO admins VALUES ('x')--", "'; UPDATE users SET role='admin' WHERE id=1--",
        "'; DELETE FROM logs--", "'; SHUTDOWN--", "x' AND extractvalue(1,concat(0x7e,version()))--",
        "1' AND SLEEP(5)#", "1' AND (SELECT 1 FROM users LIMIT 1)='1", "1' ORDER BY 3--+", "1' GROUP BY 1,2--",
        "'-alert(1)-'", "' || (SELECT version()) || '", "x'='x", "' OR ''='", "') OR ('1'='1", "')) OR 1=1--",
        "' AND 1=CONVERT(int,@@version)--", "' OR username LIKE '%admin%", "' AND ASCII(SUBSTRING(password,1,1))>64--",
        "' OR EXISTS(SELECT * FROM users)--", "x' AND 1=0 UNION SELECT table_name FROM information_schema.tables--",
        "' OR pg_sleep(5)--", "1' AND benchmark(5000000,md5(1))#", "' INTO OUTFILE '/tmp/x'--",
        "'/**/OR/**/1=1--",
        // after a double quote
        "\" OR \"1\"=\"1", "\" OR 1=1--", "admin\"--", "\" UNION SELECT 1,2-- -", "x\"; DROP TABLE users; #",
        // unquoted
        "1 OR 1=1", "1 OR 1=1--", "1; DROP TABLE users", "1 AND (SELECT COUNT(*) FROM information_schema.tables)>0",
        "1) UNION ALL SELECT NULL,NULL,NULL--", "-1 UNION SELECT 1,@@version,3", "1 AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects))",
        "sleep(1000)", "pg_sleep(10)", "(SELECT 1)", "1 AND SLEEP(5)", "1 WAITFOR DELAY '0:0:5'", "1 OR 2>1",
        "name; DROP TABLE logs", "1 UNION SELECT password FROM users", "1;SELECT * FROM users", "0 OR 1=1#",
        "1 AND ASCII(SUBSTR(user(),1,1))>1", "1 XOR 1=1", "1 || 1=1", "1 AND 1=1 ORDER BY 1--",
        "0 OR 1%00", "'; SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END--", "1 UNION SELECT -1--", " OR true--", " OR x=x--", " OR 1;--", "' /*!50000UNION*/ SELECT 1--", "1 /*!OR*/ 1=1", "admin\")--", "admin'))#", "1 AND (SELECT * FROM (SELECT(SLEEP(5)))a)", "'||pg_sleep(5)--", "or 1=1",
        "'; exec master..xp_cmdshell 'ping'--", "1' union select @@version--", "'=''or'", "%' AND 1=1 AND '%'='",
        " AND SLEEP(5)", " UNION SELECT 1", " ORDER BY 1--", "' OR 1--", "' OR true#", "' OR @@version--",
        "\" OR x=x--", "' OR 'a'='a AND '1'='1", "-1 OR 1--", "-1 OR 1=1%00", "1)+1", "')-1", "1) OR x=x",
        "-1 GROUP BY 1", "1+1 AND '1'='1", "-1--", "-1-- -", "' PROCEDURE ANALYSE()--", "' HAVING 1=1--",
        "1 AND 1=(SELECT 1)", "1 OR 'a'='a'", "1 OR true=true", "10 OR 1 LIKE 1", "1 AND 2 BETWEEN 1 AND 3",
        "1 AND @@version LIKE '%'", "1 OR NOT 1=2", "1)) OR ((1=1", "' OR NOT 1=2--", "' AND 1 IN (SELECT 1)--",
    ]

    static let benign: [String] = [
        "O'Brien", "Tim O'Brien", "O'Reilly books on Swift concurrency", "C'est déjà l'été, n'est-ce pas ?",
        "I'm; not; sure", "12 Baker's Street", "O'FFER", "rock 'n' roll", "It's -- honestly -- great",
        "select a plan", "Select your plan and union with friends", "union station", "rock and roll", "1=1 is logic",
        "What's the difference between SELECT and UPDATE in SQL?", "drop-down menu doesn't close",
        "50% off -- today only!", "-- signed, the team", "#hashtag #swift", "script writing workshop -- 3 sessions",
        "jane.doe@example.com", "first.last+tag@sub.example.co.uk", "{\"user\": {\"id\": 1809, \"note\": \"hi\"}}",
        "[1, 2, 3]", "{\"a\": \"b\", \"c\": [true, false, null]}", "**bold** and _italic_ and `code`",
        "# Title\n\n- item one\n- item two", "[link](https://example.com/a?b=c)", "a=b&c=d is how query strings look",
        "1/2 cup sugar, 3/4 cup flour", "Price: $19.99 (was $24.99)", "version 1.2.3-beta+exp.sha.5114f85",
        "function(x) { return x * 2 } is a closure", "He said \"hello\" and left.", "I'd like to order 2 items; please ship fast.",
        "echo chamber; a novel", "Use <b>bold</b> in markdown? No, use **bold**.", "The <3 emoji is cute",
        "path/to/my/file.txt", "../ means parent directory in docs", "https://www.example.com/path?ref=newsletter&utm_source=mail",
        "en-US,en;q=0.9", "text/html,application/xhtml+xml", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "cat select settings union select charlie", "command exec drop billing alpha join echo alert exec",
        "table drop update order document refund file command from settings", "or 1 maybe", "sleep well",
        "I like Swift", "semi;colon", "a;b;c", "2 or 3 apples", "Tom and Jerry", "count(3) items",
        "1 or 2", "user's guide (2nd edition)", "don't drop the ball; select wisely", "100000", "42", "-5", "3.14",
        "SKU-114", "7061e51899c4f8b3d71d64412582a463", "\"quoted\"", "'single'", "''", "\"\"", "'", "\"",
        "Ms. O'Neil-Smith", "It's 5 o'clock", "Where's my order?", "Can't login; password reset fails",
        "Union Square, New York", "Please select the red or blue option", "order by phone or email",
        "Drop me a line at 555-0100", "insert coin to continue", "delete account request", "50/50 or 60/40?",
        "(555) 010-0199", "5 -- great product", "103 limit 103 coffee", "account (select account)",
        "re: not user (535)", "union select ls from profile drop invoice", "'single' <a href=\"#section\">",
        "115' exists 115", "order by 5pm -- thanks", "Table for two", "Limit 5 per customer", "1) first option",
        "1) or two", "JavaScript: the good parts", "Joe limit 5 -- thanks", "or 5 -- maybe", "or true", "and 5", "2 or 3 -- your pick", "1+1=2", "x = y", "a <= b", "e = mc^2", "'quoted' text", "he said 'no' -- twice",
    ]

    @Test(arguments: attacks)
    func detectsInjection(_ value: String) throws {
        let verdict = try #require(SQLiStringDetector.detect(value), "missed: \(value)")
        #expect(!verdict.fingerprint.isEmpty)
        #expect(!verdict.reason.isEmpty)
    }

    @Test(arguments: benign)
    func acceptsBenignLookAlike(_ value: String) {
        let verdict = SQLiStringDetector.detect(value)
        #expect(verdict == nil, "\(value): \(verdict?.reason ?? "") [\(verdict?.fingerprint ?? "")]")
    }

    @Test func tableIsLargeAndBalanced() {
        #expect(Self.attacks.count + Self.benign.count >= 150)
        #expect(Self.attacks.count >= 60 && Self.benign.count >= 60)
    }

    @Test func verdictNamesContextAndFingerprint() throws {
        let quoted = try #require(SQLiStringDetector.detect("' OR '1'='1"))
        #expect(quoted.context == .singleQuoted)
        #expect(quoted.fingerprint == "s&s=s")
        #expect(quoted.reason == "after a single quote, the value closes the string and adds OR with a comparison")

        let unquoted = try #require(SQLiStringDetector.detect("1 UNION SELECT password FROM users"))
        #expect(unquoted.context == .unquoted)
        #expect(unquoted.reason == "unquoted, the value adds UNION SELECT")

        let doubleQuoted = try #require(SQLiStringDetector.detect("\" OR \"1\"=\"1"))
        #expect(doubleQuoted.context == .doubleQuoted)

        let bytes = try #require(SQLiStringDetector.detect(Array("1; DROP TABLE users".utf8)))
        #expect(bytes.reason == "unquoted, the value ends the statement and starts another: DROP TABLE")
    }
}
