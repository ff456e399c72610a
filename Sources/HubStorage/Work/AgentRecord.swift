import Foundation
import GRDB
import HubCore

/// An agent account as stored; lists are JSON text.
struct AgentRecord: SnakeCaseRecord, Sendable, MutablePersistableRecord {
    static let databaseTableName = "agent"

    var id: Int64?
    var email: String
    var name: String
    var role: Role
    var passwordHash: String
    var active: Bool
    var teams: String
    var languages: String
    var channels: String
    var topics: String
    var capacityChat: Int
    var capacityAsync: Int
    var presence: Presence
    var presenceAt: Date?
    var totpSecret: String?
    var totpConfirmed: Bool
    var failedLogins: Int
    var loginAllowedAt: Date?
    var locked: Bool
    var lastAssignedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var view: AgentView {
        AgentView(
            id: id ?? 0, email: email, name: name, role: role, active: active, teams: JSONList.decode(teams),
            skills: Skills(languages: JSONList.decode(languages), channels: JSONList.decode(channels), topics: JSONList.decode(topics)),
            capacity: Capacity(chat: capacityChat, async: capacityAsync), presence: presence,
            totpEnabled: totpSecret != nil && totpConfirmed, locked: locked, createdAt: createdAt)
    }
}

/// Lists of strings kept as JSON text in one column.
enum JSONList {
    static func encode(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
