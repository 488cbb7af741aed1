import Foundation
import RampartProtocol

/// One application environment's vulnerable dependencies, from the inventory of its most recent agent login.
public struct VulnerableApplication: Sendable, Hashable {
    public var appID: String
    public var appName: String
    public var environment: String
    public var hostname: String
    public var reportedAt: Date
    public var findings: [AdvisoryFinding]
    /// Dependencies whose version could not be evaluated (branch or revision pins).
    public var uncheckedDependencies: [Dependency]
}

extension PlatformStore {
    /// Stores advisories, replacing stored ones with the same id; returns how many were new and replaced.
    @discardableResult
    public func importAdvisories(_ advisories: [OSVAdvisory], now: Date = Date()) async throws -> (added: Int, replaced: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var documents: [(String, String)] = []
        for advisory in advisories {
            try advisory.validate()
            documents.append((advisory.id, String(decoding: try encoder.encode(advisory), as: UTF8.self)))
        }
        let encoded = documents
        let nowMillis = Timestamp.milliseconds(now)
        return try await database.transaction { executor in
            var added = 0
            var replaced = 0
            for (id, document) in encoded {
                let existing = try await executor.query("SELECT advisory_id FROM advisories WHERE advisory_id = $1", [.text(id)])
                if existing.isEmpty {
                    try await executor.query(
                        "INSERT INTO advisories (advisory_id, document, imported_at) VALUES ($1, $2, $3)",
                        [.text(id), .text(document), .integer(nowMillis)])
                    added += 1
                } else {
                    try await executor.query(
                        "UPDATE advisories SET document = $2, imported_at = $3 WHERE advisory_id = $1",
                        [.text(id), .text(document), .integer(nowMillis)])
                    replaced += 1
                }
            }
            return (added, replaced)
        }
    }

    /// Every stored advisory, by id.
    public func advisories() async throws -> [OSVAdvisory] {
        let decoder = JSONDecoder()
        return try await database.query("SELECT document FROM advisories ORDER BY advisory_id").compactMap { row in
            row.string("document").flatMap { try? decoder.decode(OSVAdvisory.self, from: Data($0.utf8)) }
        }
    }

    /// Per application and environment, the dependencies its latest agent reported that stored advisories
    /// cover. Environments without findings are included (with no findings) so the page can say they are clean.
    public func vulnerableApplications() async throws -> (advisoryCount: Int, applications: [VulnerableApplication]) {
        let matcher = AdvisoryMatcher(advisories: try await advisories())
        var latest: [String: AgentRecord] = [:]
        for agent in try await agents() {
            let key = agent.appID + "\u{0}" + agent.environment
            if (latest[key]?.lastLogin ?? .distantPast) < agent.lastLogin { latest[key] = agent }
        }
        let applications = latest.values.map { agent in
            VulnerableApplication(
                appID: agent.appID, appName: agent.appName, environment: agent.environment, hostname: agent.hostname,
                reportedAt: agent.lastLogin, findings: matcher.findings(for: agent.dependencies),
                uncheckedDependencies: agent.dependencies.filter { !AdvisoryMatcher.isCheckable($0) })
        }.sorted { ($0.appName, $0.environment) < ($1.appName, $1.environment) }
        return (matcher.advisoryCount, applications)
    }
}
