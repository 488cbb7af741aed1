// DemoShop: a deliberately vulnerable shop, protected by Rampart, for the demo and the end-to-end tests.
//
// Every endpoint below is written the wrong way on purpose (string-built SQL, user-chosen file names, URLs and
// host names handed to the system) so that Rampart's protection can be seen: in monitor mode the exploits work
// and are reported, in block mode they are stopped. Do not copy these handlers into a real application.

import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Rampart
import RampartHummingbird
import RampartSQLKit
import SQLKit
import SQLiteKit

/// The demo's request context: knows the TCP peer so Rampart can resolve the client IP.
public struct DemoShopContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

public enum DemoShop {
    public struct Settings: Sendable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// Directory holding the shop's SQLite database and its downloadable files (created if missing).
        public var dataDirectory: String
        /// Port of the internal metadata service on 127.0.0.1 (see ``makeMetadataApplication(port:logger:)``), the
        /// target of the SSRF exploit.
        public var metadataPort: Int = 8081
        public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String, metadataPort: Int = 8081) {
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.metadataPort = metadataPort
        }
    }

    /// The shop's resources: an SQLite connection (wrapped by Rampart's SQL hook) and an HTTP client (whose calls
    /// go through Rampart's SSRF check). Close with `shutdown()`.
    public final class Resources: Sendable {
        public let database: any SQLDatabase
        let connection: SQLiteConnection
        let httpClient: HTTPClient
        let filesDirectory: String
        /// Base URL of the internal metadata service the shop's host can reach (and its visitors should not).
        public let metadataURL: String

        init(connection: SQLiteConnection, httpClient: HTTPClient, filesDirectory: String, metadataURL: String) {
            self.connection = connection
            self.database = connection.sql().rampartProtected()
            self.httpClient = httpClient
            self.filesDirectory = filesDirectory
            self.metadataURL = metadataURL
        }

        public func shutdown() async {
            try? await connection.close()
            try? await httpClient.shutdown()
        }
    }

    /// Opens the database (seeding it on first use) and the files directory.
    public static func makeResources(settings: Settings, logger: Logger) async throws -> Resources {
        let fileManager = FileManager.default
        let files = settings.dataDirectory + "/files"
        try fileManager.createDirectory(atPath: files, withIntermediateDirectories: true)
        for (name, text) in [("invoice-1001.txt", "Invoice 1001: 2 x Rampart mug, 24.00 EUR\n"),
                             ("catalogue.txt", "Mugs, shirts, stickers.\n")] {
            let path = files + "/" + name
            if !fileManager.fileExists(atPath: path) { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: settings.dataDirectory + "/shop.sqlite"), logger: logger)
        let database = connection.sql()
        try await database.raw("CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)").run()
        try await database.raw("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, password TEXT NOT NULL)").run()
        try await database.raw("INSERT OR IGNORE INTO products (id, name, price) VALUES (1, 'Rampart mug', 12.0), (2, 'Rampart shirt', 25.0), (3, 'Sticker pack', 4.5)").run()
        try await database.raw("INSERT OR IGNORE INTO users (id, name, password) VALUES (1, 'alice', 'wonderland'), (2, 'bob', 'builder')").run()
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(3), read: .seconds(5))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        return Resources(
            connection: connection, httpClient: httpClient, filesDirectory: files,
            metadataURL: "http://127.0.0.1:\(settings.metadataPort)")
    }

    /// The shop's router, protected by Rampart (the two lines a Hummingbird app adds are marked).
    public static func makeRouter(resources: Resources, agent: RampartAgent) -> Router<DemoShopContext> {
        let router = Router(context: DemoShopContext.self)
        router.add(middleware: RampartRouterMiddleware(agent: agent))  // Rampart: protect every route below

        let index = indexPage(metadataURL: resources.metadataURL)
        router.get("/") { _, _ in html(index) }

        // SQL injection: the search term is pasted into the statement.
        router.get("/search") { request, _ -> Response in
            let term = request.uri.queryParameters["q"].map(String.init) ?? ""
            let statement = "SELECT name, price FROM products WHERE name LIKE '%" + term + "%'"
            let rows = try await resources.database.raw(SQLQueryString(statement)).all()
            let lines = rows.map { row -> String in
                let name = (try? row.decode(column: "name", as: String.self)) ?? "?"
                let price = (try? row.decode(column: "price", as: Double.self)) ?? 0
                return "\(name): \(price)"
            }
            return text(lines.joined(separator: "\n") + "\n")
        }

        // Path traversal: the file name is appended to the directory.
        router.get("/download") { request, _ -> Response in
            let name = request.uri.queryParameters["file"].map(String.init) ?? "catalogue.txt"
            let data = try ProtectedFiles.contents(atPath: resources.filesDirectory + "/" + name)
            return text(String(decoding: data, as: UTF8.self))
        }

        // SSRF: the server fetches whatever URL it is given.
        router.get("/preview") { request, _ -> Response in
            let url = request.uri.queryParameters["url"].map(String.init) ?? ""
            let response = try await resources.httpClient.executeChecked(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 64 * 1024)
            return text("status \(response.status.code)\n" + String(buffer: body).prefix(2000))
        }

        // OS command injection: the host name goes into a shell command line.
        router.get("/ping") { request, _ -> Response in
            let host = request.uri.queryParameters["host"].map(String.init) ?? "127.0.0.1"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "echo pinging " + host]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.runChecked()
            process.waitUntilExit()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            return text(String(decoding: output, as: UTF8.self))
        }

        // Reflected XSS: the name is echoed into HTML without escaping.
        router.get("/hello") { request, _ -> Response in
            let name = request.uri.queryParameters["name"].map(String.init) ?? "visitor"
            return html("<h1>Hello " + name + "</h1>")
        }

        // Login: the password check is string-built SQL too; outcomes are reported to Rampart.
        router.post("/login") { request, context -> Response in
            let form = try await URLEncodedFormDecoder().decode([String: String].self, from: request, context: context)
            let user = form["user"] ?? ""
            let password = form["password"] ?? ""
            let statement = "SELECT name FROM users WHERE name = '" + user + "' AND password = '" + password + "'"
            let rows = try await resources.database.raw(SQLQueryString(statement)).all()
            let success = !rows.isEmpty
            Rampart.trackLogin(success: success, user: user)
            if success { try Rampart.setUser(id: user) }
            return text(success ? "welcome \(user)\n" : "wrong user or password\n", status: success ? .ok : .unauthorized)
        }
        return router
    }

    /// The internal metadata service, on 127.0.0.1 only, with no protection of its own: what a cloud VM's
    /// 169.254.169.254 serves (instance data and temporary credentials) and what an SSRF is after. Only the
    /// shop's host can reach it, so it leaks only when the shop fetches a URL for a visitor.
    public static func makeMetadataApplication(port: Int, logger: Logger) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router()
        router.get("/latest/meta-data/") { _, _ in text("instance-id\niam/security-credentials/\n") }
        router.get("/latest/meta-data/instance-id") { _, _ in text("i-0demoshop000001\n") }
        router.get("/latest/meta-data/iam/security-credentials/") { _, _ in text(metadataRoleName + "\n") }
        router.get("/latest/meta-data/iam/security-credentials/\(metadataRoleName)") { _, _ in
            text("""
            {"Code": "Success", "AccessKeyId": "ASIADEMOSHOPINTERNAL", "SecretAccessKey": "\(metadataSecret)", "Token": "demo-session-token"}

            """)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "DemoShopMetadata"),
            logger: logger)
    }

    /// The role whose (fake) credentials the metadata service hands out, and the secret an SSRF leaks.
    public static let metadataRoleName = "demoshop-role"
    public static let metadataSecret = "demo-internal-secret-do-not-leak"

    /// The shop as a Hummingbird application on `settings.host:settings.port`.
    public static func makeApplication(settings: Settings, resources: Resources, agent: RampartAgent, logger: Logger)
        -> Application<RouterResponder<DemoShopContext>>
    {
        Application(
            router: makeRouter(resources: resources, agent: agent),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "DemoShop"),
            logger: logger)
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func html(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func indexPage(metadataURL: String) -> String {
        indexTemplate.replacingOccurrences(of: "{metadata}", with: metadataURL)
    }

    static let indexTemplate = """
    <!doctype html><html><head><meta charset="utf-8"><title>DemoShop (deliberately vulnerable)</title></head>
    <body><h1>DemoShop</h1><p>A deliberately vulnerable shop protected by Rampart. Try:</p><ul>
    <li><a href="/search?q=mug">/search?q=mug</a> — then <code>/search?q=' UNION SELECT name || ':' || password, 0 FROM users--</code></li>
    <li><a href="/download?file=invoice-1001.txt">/download?file=invoice-1001.txt</a> — then <code>../../../../etc/passwd</code></li>
    <li><code>/preview?url=https://example.com/</code> — then <code>{metadata}/latest/meta-data/iam/security-credentials/demoshop-role</code> (SSRF to the internal metadata service)</li>
    <li><a href="/ping?host=127.0.0.1">/ping?host=127.0.0.1</a> — then <code>127.0.0.1; cat /etc/passwd</code></li>
    <li><a href="/hello?name=you">/hello?name=you</a> — then <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></li>
    <li><form method="post" action="/login">user <input name="user"> password <input name="password" type="password"> <button>log in</button></form></li>
    </ul></body></html>
    """
}
