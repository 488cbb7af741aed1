import Testing
@testable import RampartWAF

struct PathCase: CustomTestStringConvertible, Sendable {
    var path: String
    var parameter: String
    var testDescription: String { "\(path) ← \(parameter)" }
    init(_ path: String, _ parameter: String) {
        self.path = path
        self.parameter = parameter
    }
}

@Suite struct PathTraversalDetectorTests {

    static let injectionCases: [PathCase] = [
        PathCase("/var/www/uploads/../../../etc/passwd", "../../../etc/passwd"),
        PathCase("/var/www/uploads/../x", "../x"),
        PathCase("/var/www/uploads/images/../../../../etc/shadow", "images/../../../../etc/shadow"),
        PathCase("/var/www/uploads/..\\..\\..\\windows\\win.ini", "..\\..\\..\\windows\\win.ini"),
        PathCase("/var/www/uploads/..", ".."),
        PathCase("/var/www/uploads/../", "../"),
        PathCase("/var/www/uploads/./../x", "./../x"),
        PathCase("/var/www/uploads//..//..//etc/passwd", "/..//..//etc/passwd"),
        PathCase("/var/www/uploads/a/b/../../../etc", "a/b/../../../etc"),
        PathCase("/var/www/uploads/a/../../etc", "a/../../etc"),
        PathCase("/var/www/uploads/x/../../../etc/passwd.png", "x/../../../etc/passwd"),
        PathCase("uploads/../../etc/passwd", "../../etc/passwd"),
        PathCase("../../etc/passwd", "../../etc/passwd"),
        PathCase("..\\..\\boot.ini", "..\\..\\boot.ini"),
        PathCase("C:\\app\\files\\..\\..\\Windows\\win.ini", "..\\..\\Windows\\win.ini"),
        PathCase("/srv/app/public/images/../../../../proc/self/environ", "../../../../proc/self/environ"),
        PathCase("/var/www/uploads/a/../../x", "a/../../x"),
        PathCase("/etc/passwd", "/etc/passwd"),
        PathCase("/etc/shadow", "/etc/shadow"),
        PathCase("/proc/self/environ", "/proc/self/environ"),
        PathCase("/proc/self/cmdline", "/proc/self/cmdline"),
        PathCase("/root/.ssh/id_rsa", "/root/.ssh/id_rsa"),
        PathCase("/home/deploy/.ssh/authorized_keys", "/home/deploy/.ssh/authorized_keys"),
        PathCase("/home/deploy/.aws/credentials", "/home/deploy/.aws/credentials"),
        PathCase("/srv/app/.env", "/srv/app/.env"),
        PathCase("/srv/app/.env.production", "/srv/app/.env.production"),
        PathCase("/srv/app/.git/config", "/srv/app/.git/config"),
        PathCase("/var/log/auth.log", "/var/log/auth.log"),
        PathCase("/var/run/secrets/kubernetes.io/serviceaccount/token", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
        PathCase("/sys/class/net/eth0/address", "/sys/class/net/eth0/address"),
        PathCase("/dev/mem", "/dev/mem"),
        PathCase("/ETC/PASSWD", "/ETC/PASSWD"),
        PathCase("//etc/passwd", "//etc/passwd"),
        PathCase("/./etc/./passwd", "/./etc/./passwd"),
        PathCase("/srv/www/../../etc/passwd", "/srv/www/../../etc/passwd"),
        PathCase("C:\\Windows\\win.ini", "C:\\Windows\\win.ini"),
        PathCase("c:/windows/system32/drivers/etc/hosts", "c:/windows/system32/drivers/etc/hosts"),
        PathCase("C:\\boot.ini", "C:\\boot.ini"),
        PathCase("C:\\Users\\bob\\NTUSER.DAT", "C:\\Users\\bob\\NTUSER.DAT"),
        PathCase("\\\\attacker\\share\\x", "\\\\attacker\\share\\x"),
        PathCase("//attacker/share/x", "//attacker/share/x"),
        PathCase("~/.ssh/id_ed25519", "~/.ssh/id_ed25519"),
        PathCase("/var/www/uploads/a.png\u{0}.php", "a.png\u{0}.php"),
    ]

    static let benignCases: [PathCase] = [
        PathCase("/var/www/uploads/avatar.png", "avatar.png"),
        PathCase("/var/www/uploads/my..file.txt", "my..file.txt"),
        PathCase("/var/www/uploads/a..b/c", "a..b/c"),
        PathCase("/var/www/uploads/..a", "..a"),
        PathCase("/var/www/uploads/a..", "a.."),
        PathCase("/var/www/uploads/...", "..."),
        PathCase("/var/www/uploads/folder/sub/doc.md", "folder/sub/doc.md"),
        PathCase("/var/www/uploads/folder/../doc.md", "folder/../doc.md"),
        PathCase("/var/www/uploads/a/b/../../c.txt", "a/b/../../c.txt"),
        PathCase("/var/www/uploads/2024/report.pdf", "2024/report.pdf"),
        PathCase("/var/www/uploads/./x.png", "./x.png"),
        PathCase("/var/www/uploads//x.png", "/x.png"),
        PathCase("/var/www/uploads//etc/passwd", "/etc/passwd"),
        PathCase("/var/www/uploads/img_../x", "../x"),
        PathCase("/srv/app/public/logo.png", "/srv/app/public/logo.png"),
        PathCase("/srv/app/public/images/a.png", "/srv/app/public"),
        PathCase("/home/alice/docs/report.pdf", "/home/alice/docs/report.pdf"),
        PathCase("/tmp/upload-123.bin", "/tmp/upload-123.bin"),
        PathCase("/var/www/../www/uploads/x", "x"),
        PathCase("/var/www/uploads/../cache/x.png", "x.png"),
        PathCase("/var/www/uploads/v1.2.3/file", "v1.2.3/file"),
        PathCase("/var/www/uploads/%2e%2e/x", "%2e%2e/x"),
        PathCase("/var/www/uploads/..%2f/../x", "..%2f/../x"),
        PathCase("/var/www/uploads/etc/passwd", "etc/passwd"),
        PathCase("/var/www/uploads/passwd", "passwd"),
        PathCase("/var/www/uploads/.well-known/x", ".well-known/x"),
        PathCase("/var/www/uploads/a.txt", "en"),
        PathCase("/var/www/uploads/a.txt", "/var/www/uploads/b.txt"),
        PathCase("C:\\app\\files\\report.docx", "report.docx"),
        PathCase("C:\\app\\files\\report.docx", "C:\\app\\files\\report.docx"),
        PathCase("/var/www/uploads/..", "uploads"),
        PathCase("relative/path/file.txt", "relative/path/file.txt"),
        PathCase("file.txt", "file.txt"),
        PathCase("", "../x"),
        PathCase("/", "/"),
    ]

    @Test(arguments: injectionCases)
    func injection(_ testCase: PathCase) throws {
        let finding = try #require(PathTraversalDetector.detect(
            path: testCase.path, parameters: RaspTestSupport.query(testCase.parameter)))
        #expect(finding.detector == "lfi_detector")
        let location = try #require(finding.location)
        #expect(Array(testCase.path.utf8)[location] == Array(testCase.parameter.utf8)[...])
    }

    @Test(arguments: benignCases)
    func benign(_ testCase: PathCase) {
        let finding = PathTraversalDetector.detect(path: testCase.path, parameters: RaspTestSupport.query(testCase.parameter))
        #expect(finding == nil, "\(finding?.reason ?? "")")
    }

    @Test func reasonTellsWhereThePathLands() throws {
        let finding = try #require(PathTraversalDetector.detect(
            path: "/var/www/uploads/../../../etc/passwd", parameters: RaspTestSupport.query("../../../etc/passwd")))
        #expect(finding.reason.contains("climb 3 levels"))
        #expect(finding.reason.contains("/etc/passwd"))
    }

    @Test(arguments: [
        ("/a/b/../c", "/a/c"), ("/a/./b//c/", "/a/b/c"), ("/../..", "/"), ("a/../../b", "../b"),
        ("C:\\x\\..\\Windows", "C:/Windows"), ("\\\\srv\\share\\..\\x", "//srv/x"), ("", ""),
    ])
    func normalisation(_ input: String, _ expected: String) {
        #expect(input.withUTF8Bytes { PathNormalizer.normalize($0) } == expected)
    }
}
