/// `POST /api/v1/agent/login`: an agent introduces itself and its application's inventory.
/// Sent when the agent starts and again whenever the platform answers a heartbeat with 404 (it forgot the agent).
public struct AgentLogin: Codable, Sendable, Hashable {
    /// ``RampartProtocol/version`` of the agent.
    public var protocolVersion: Int
    /// A UUID string, stable for the life of the agent's process.
    public var agentID: String
    public var appName: String
    /// e.g. `production`, `staging`.
    public var environment: String
    public var hostname: String
    public var rampartVersion: String
    public var swiftVersion: String
    /// e.g. `Linux 6.1 (Debian 12)`.
    public var os: String
    /// e.g. `vapor 4.122.3`, `hummingbird 2.28.1`.
    public var framework: String
    public var routes: [RouteInfo]
    /// From the app's `Package.resolved` when available.
    public var dependencies: [Dependency]

    public init(
        protocolVersion: Int = RampartProtocol.version, agentID: String, appName: String, environment: String,
        hostname: String, rampartVersion: String, swiftVersion: String, os: String, framework: String,
        routes: [RouteInfo] = [], dependencies: [Dependency] = []
    ) {
        self.protocolVersion = protocolVersion
        self.agentID = agentID
        self.appName = appName
        self.environment = environment
        self.hostname = hostname
        self.rampartVersion = rampartVersion
        self.swiftVersion = swiftVersion
        self.os = os
        self.framework = framework
        self.routes = routes
        self.dependencies = dependencies
    }
}

/// One route the application serves, as registered with its framework (`/users/:id`).
public struct RouteInfo: Codable, Sendable, Hashable {
    public var method: String
    public var path: String

    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }
}

/// One package the application depends on.
public struct Dependency: Codable, Sendable, Hashable {
    /// The package identity or repository URL as in `Package.resolved`.
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
