package import Foundation
import GRDB
package import HubCore

/// What an agent account is made with; the password arrives already hashed.
package struct NewAgentAccount: Sendable {
    package var email: String
    package var name: String
    package var role: Role
    package var passwordHash: String
    package var teams: [String]
    package var skills: Skills
    package var capacity: Capacity

    package init(email: String, name: String, role: Role, passwordHash: String, teams: [String], skills: Skills, capacity: Capacity) {
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.teams = teams
        self.skills = skills
        self.capacity = capacity
    }
}

/// Changes to an account; `nil` leaves a field as it is.
package struct AgentChanges: Sendable {
    package var name: String?
    package var role: Role?
    package var active: Bool?
    package var teams: [String]?
    package var languages: [String]?
    package var channels: [String]?
    package var topics: [String]?
    package var capacity: Capacity?

    package init(
        name: String? = nil, role: Role? = nil, active: Bool? = nil, teams: [String]? = nil, languages: [String]? = nil,
        channels: [String]? = nil, topics: [String]? = nil, capacity: Capacity? = nil
    ) {
        self.name = name
        self.role = role
        self.active = active
        self.teams = teams
        self.languages = languages
        self.channels = channels
        self.topics = topics
        self.capacity = capacity
    }
}

/// What logging in checks: the account and its secrets.
package struct AgentCredentials: Sendable {
    package var agent: AgentView
    package var passwordHash: String
    package var totpSecret: String?
    package var totpConfirmed: Bool
    package var failedLogins: Int
    package var loginAllowedAt: Date?
}

/// Agent accounts, their login sessions and presence.
package struct AgentStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    /// Creates an account; `400 duplicate_email` when the address is taken.
    package func create(_ account: NewAgentAccount, now: Date) async throws -> AgentView {
        try await database.writer.write { db in
            let email = account.email.lowercased()
            if try Int64.fetchOne(db, sql: "SELECT id FROM agent WHERE email = ?", arguments: [email]) != nil {
                throw HubError.badRequest("duplicate_email", "an agent with that email exists")
            }
            var record = AgentRecord(
                id: nil, email: email, name: account.name, role: account.role, passwordHash: account.passwordHash, active: true,
                teams: JSONList.encode(account.teams), languages: JSONList.encode(account.skills.languages),
                channels: JSONList.encode(account.skills.channels), topics: JSONList.encode(account.skills.topics),
                capacityChat: account.capacity.chat, capacityAsync: account.capacity.async, presence: .offline, presenceAt: now,
                totpSecret: nil, totpConfirmed: false, failedLogins: 0, loginAllowedAt: nil, locked: false, lastAssignedAt: nil,
                createdAt: now, updatedAt: now)
            try record.insert(db)
            return record.view
        }
    }

    package func agent(id: Int64) async throws -> AgentView? {
        try await database.writer.read { db in try AgentRecord.fetchOne(db, key: id)?.view }
    }

    package func list() async throws -> [AgentView] {
        try await database.writer.read { db in try AgentRecord.order(Column("id")).fetchAll(db).map(\.view) }
    }

    package func count() async throws -> Int {
        try await database.writer.read { db in try AgentRecord.fetchCount(db) }
    }

    package func credentials(email: String) async throws -> AgentCredentials? {
        try await database.writer.read { db in
            try AgentRecord.filter(Column("email") == email.lowercased()).fetchOne(db).map(Self.credentials)
        }
    }

    package func credentials(id: Int64) async throws -> AgentCredentials? {
        try await database.writer.read { db in try AgentRecord.fetchOne(db, key: id).map(Self.credentials) }
    }

    static func credentials(_ record: AgentRecord) -> AgentCredentials {
        AgentCredentials(
            agent: record.view, passwordHash: record.passwordHash, totpSecret: record.totpSecret, totpConfirmed: record.totpConfirmed,
            failedLogins: record.failedLogins, loginAllowedAt: record.loginAllowedAt)
    }

    /// Applies `changes`; `nil` when there is no such agent. Deactivating ends the agent's
    /// sessions and sets them offline, so routing stops offering them work at once.
    package func update(id: Int64, _ changes: AgentChanges, now: Date) async throws -> AgentView? {
        try await database.writer.write { db in
            guard var record = try AgentRecord.fetchOne(db, key: id) else { return nil }
            if let name = changes.name { record.name = name }
            if let role = changes.role { record.role = role }
            if let teams = changes.teams { record.teams = JSONList.encode(teams) }
            if let languages = changes.languages { record.languages = JSONList.encode(languages) }
            if let channels = changes.channels { record.channels = JSONList.encode(channels) }
            if let topics = changes.topics { record.topics = JSONList.encode(topics) }
            if let capacity = changes.capacity {
                record.capacityChat = capacity.chat
                record.capacityAsync = capacity.async
            }
            if let active = changes.active {
                record.active = active
                if !active {
                    try db.execute(sql: "DELETE FROM agent_session WHERE agent_id = ?", arguments: [id])
                    if record.presence != .offline {
                        record.presence = .offline
                        record.presenceAt = now
                        try Self.logPresence(record, actor: "deactivation", at: now, in: db)
                    }
                }
            }
            record.updatedAt = now
            try record.update(db)
            return record.view
        }
    }

    /// Sets a new password hash, unlocks the account and ends its sessions.
    package func resetPassword(id: Int64, hash: String, now: Date) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE agent SET password_hash = ?, failed_logins = 0, login_allowed_at = NULL, locked = 0, updated_at = ?
                    WHERE id = ?
                    """, arguments: [hash, now, id])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM agent_session WHERE agent_id = ?", arguments: [id])
            return true
        }
    }

    /// Counts a failed login; from the fifth failure each next attempt waits twice as long
    /// (1 s, 2 s, 4 s …), and the tenth locks the account until an admin resets its password.
    package func recordFailedLogin(id: Int64, now: Date) async throws -> (failures: Int, locked: Bool) {
        try await database.writer.write { db in
            guard var record = try AgentRecord.fetchOne(db, key: id) else { return (0, false) }
            record.failedLogins += 1
            if record.failedLogins >= LoginThrottle.lockAfter {
                record.locked = true
            } else if let delay = LoginThrottle.delay(afterFailures: record.failedLogins) {
                record.loginAllowedAt = now.addingTimeInterval(delay)
            }
            record.updatedAt = now
            try record.update(db)
            return (record.failedLogins, record.locked)
        }
    }

    package func recordSuccessfulLogin(id: Int64, now: Date) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE agent SET failed_logins = 0, login_allowed_at = NULL WHERE id = ?", arguments: [id])
        }
    }

    package func setTOTP(id: Int64, secret: String?, confirmed: Bool, now: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE agent SET totp_secret = ?, totp_confirmed = ?, updated_at = ? WHERE id = ?",
                arguments: [secret, confirmed, now, id])
        }
    }

    // MARK: Sessions

    /// Stores a session under the hash of its token.
    package func createSession(agentID: Int64, tokenHash: String, expiresAt: Date, now: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO agent_session (token_hash, agent_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [tokenHash, agentID, now, expiresAt, now])
            // Expired sessions go when someone logs in, so the table never grows without bound.
            try db.execute(sql: "DELETE FROM agent_session WHERE expires_at < ?", arguments: [now])
        }
    }

    /// The active agent whose unexpired session has this token hash.
    package func agent(sessionHash: String, now: Date) async throws -> AgentView? {
        try await database.writer.read { db in
            try AgentRecord.fetchOne(
                db,
                sql: """
                    SELECT agent.* FROM agent_session JOIN agent ON agent.id = agent_session.agent_id
                    WHERE agent_session.token_hash = ? AND agent_session.expires_at > ? AND agent.active = 1
                    """, arguments: [sessionHash, now]
            )?.view
        }
    }

    package func deleteSession(tokenHash: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM agent_session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    // MARK: Presence

    /// Sets an agent's presence and logs `agent.presence`; `nil` when there is no such agent.
    /// Going offline or away hands back the conversations they owe an answer (see ``RoutingStore``).
    package func setPresence(id: Int64, _ presence: Presence, actor: String, now: Date) async throws -> AgentView? {
        try await database.writer.write { db in
            guard var record = try AgentRecord.fetchOne(db, key: id) else { return nil }
            guard record.presence != presence else { return record.view }
            record.presence = presence
            record.presenceAt = now
            record.updatedAt = now
            try record.update(db)
            try Self.logPresence(record, actor: actor, at: now, in: db)
            if presence != .online {
                try RoutingStore.returnWork(ofAgent: id, reason: "the agent went \(presence.rawValue)", now: now, in: db)
            }
            return record.view
        }
    }

    static func logPresence(_ record: AgentRecord, actor: String, at now: Date, in db: Database) throws {
        var data = JSONText()
        data.integer("agent", record.id)
        data.string("name", record.name)
        data.string("presence", record.presence.rawValue)
        data.string("actor", actor)
        try EventLog.append(.agentPresence, json: data.object, at: now, in: db)
    }
}

/// How repeated failed logins slow an account down.
package enum LoginThrottle {
    package static let lockAfter = 10
    /// Failures before attempts are slowed.
    package static let freeFailures = 4

    /// Seconds to wait before the next attempt after `failures` failures; `nil` while free.
    package static func delay(afterFailures failures: Int) -> TimeInterval? {
        guard failures > freeFailures else { return nil }
        return pow(2, Double(failures - freeFailures - 1))
    }
}
