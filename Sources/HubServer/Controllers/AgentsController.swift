import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/agents`: accounts (admins manage them), presence, and the second factor.
struct AgentsController: Sendable {
    let agents: AgentStore
    let hasher: PasswordHasher
    let routing: RoutingSettings
    let channels: Set<ChannelID>
    let wake: @Sendable () -> Void
    let maxBodyBytes: Int
    /// Seals TOTP seeds at rest; without a data key no second factor can be enrolled.
    let sealer: SecretSealer?

    struct NewAgent: Decodable {
        var name: String
        var email: String
        var role: Role
        var password: String
        var teams: [String]?
        var languages: [String]?
        var channels: [String]?
        var topics: [String]?
        var capacity: Capacity?
    }

    struct AgentPatch: Decodable {
        var name: String?
        var role: Role?
        var active: Bool?
        var teams: [String]?
        var languages: [String]?
        var channels: [String]?
        var topics: [String]?
        var capacity: Capacity?
    }

    struct AgentList: ResponseEncodable {
        var agents: [AgentView]
    }

    func list(_ request: Request, context: HubRequestContext) async throws -> AgentList {
        AgentList(agents: try await agents.list())
    }

    func me(_ request: Request, context: HubRequestContext) async throws -> AgentView {
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "an integration token is not an agent account")
        }
        guard let current = try await agents.agent(id: agent.id) else { throw HubError.notFound("unknown_agent", "no agent with that id") }
        return current
    }

    func show(_ request: Request, context: HubRequestContext) async throws -> AgentView {
        guard let agent = try await agents.agent(id: try context.parameters.id("id", resource: "agent")) else {
            throw HubError.notFound("unknown_agent", "no agent with that id")
        }
        return agent
    }

    func create(_ request: Request, context: HubRequestContext) async throws -> Answer<AgentView> {
        let body = try await request.decodeJSON(
            NewAgent.self, limit: maxBodyBytes,
            example:
                #"{"name","email","role","password","teams":[],"languages":[],"channels":[],"topics":[],"capacity":{"chat":5,"async":20}}"#)
        let name = body.name.trimmingWhitespace()
        guard !name.isEmpty else { throw HubError.badRequest("invalid_name", "'name' must not be empty") }
        guard Self.isEmail(body.email) else { throw HubError.badRequest("invalid_email", "'email' must be an email address") }
        if let weakness = PasswordPolicy.weakness(body.password, email: body.email) {
            throw HubError.badRequest("weak_password", weakness)
        }
        let skills = Skills(languages: body.languages ?? [], channels: body.channels ?? [], topics: body.topics ?? [])
        try validate(teams: body.teams ?? [], skills: skills, capacity: body.capacity)
        let account = NewAgentAccount(
            email: body.email, name: name, role: body.role, passwordHash: try await hasher.hash(body.password), teams: body.teams ?? [],
            skills: skills, capacity: body.capacity ?? Capacity())
        return Answer(try await agents.create(account, now: Date()), status: .created)
    }

    func update(_ request: Request, context: HubRequestContext) async throws -> AgentUpdated {
        let id = try context.parameters.id("id", resource: "agent")
        let body = try await request.decodeJSON(
            AgentPatch.self, limit: maxBodyBytes, example: #"{"name"?, "role"?, "active"?, "teams"?, "capacity"?}"#)
        let current = try await agents.agent(id: id)
        guard let current else { throw HubError.notFound("unknown_agent", "no agent with that id") }
        let skills = Skills(
            languages: body.languages ?? current.languages, channels: body.channels ?? current.channels,
            topics: body.topics ?? current.topics)
        try validate(teams: body.teams ?? current.teams, skills: skills, capacity: body.capacity)
        if let name = body.name, name.trimmingWhitespace().isEmpty { throw HubError.badRequest("invalid_name", "'name' must not be empty") }
        let changes = AgentChanges(
            name: body.name, role: body.role, active: body.active, teams: body.teams, languages: body.languages, channels: body.channels,
            topics: body.topics, capacity: body.capacity)
        guard let updated = try await agents.update(id: id, changes, now: Date()) else {
            throw HubError.notFound("unknown_agent", "no agent with that id")
        }
        wake()
        return AgentUpdated(before: current, after: updated)
    }

    struct PasswordReset: Decodable {
        var password: String
    }

    func resetPassword(_ request: Request, context: HubRequestContext) async throws -> StatusAnswer {
        let id = try context.parameters.id("id", resource: "agent")
        let body = try await request.decodeJSON(PasswordReset.self, limit: maxBodyBytes, example: #"{"password": string}"#)
        guard let agent = try await agents.agent(id: id) else { throw HubError.notFound("unknown_agent", "no agent with that id") }
        if let weakness = PasswordPolicy.weakness(body.password, email: agent.email) {
            throw HubError.badRequest("weak_password", weakness)
        }
        _ = try await agents.resetPassword(id: id, hash: try await hasher.hash(body.password), now: Date())
        return StatusAnswer(status: "password_reset")
    }

    struct PresenceChange: Decodable {
        var status: Presence
    }

    func setOwnPresence(_ request: Request, context: HubRequestContext) async throws -> AgentView {
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "an integration token has no presence: use /api/v1/agents/{id}/presence")
        }
        return try await setPresence(agent.id, request: request, context: context)
    }

    func setPresence(_ request: Request, context: HubRequestContext) async throws -> AgentView {
        try await setPresence(try context.parameters.id("id", resource: "agent"), request: request, context: context)
    }

    private func setPresence(_ id: Int64, request: Request, context: HubRequestContext) async throws -> AgentView {
        let body = try await request.decodeJSON(
            PresenceChange.self, limit: maxBodyBytes, example: #"{"status": "online" | "away" | "offline"}"#)
        guard let agent = try await agents.setPresence(id: id, body.status, actor: try context.caller().actor, now: Date()) else {
            throw HubError.notFound("unknown_agent", "no agent with that id")
        }
        wake()
        return agent
    }

    struct TOTPEnrollment: ResponseEncodable {
        var secret: String
        var uri: String
    }

    /// Starts enrolling a second factor: the secret is shown once and counts only after a confirmed code.
    func enrollTOTP(_ request: Request, context: HubRequestContext) async throws -> TOTPEnrollment {
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "an integration token has no second factor")
        }
        guard let sealer else {
            throw HubError.conflict(
                "data_key_required", "a second factor's seed is stored encrypted: start the hub with \(DataKey.environmentName) set")
        }
        let secret = TOTP.newSecret()
        try await agents.setTOTP(
            id: agent.id, secret: try sealer.seal(Base32.encode(secret), owner: "agent:\(agent.id)"), confirmed: false, now: Date())
        return TOTPEnrollment(secret: Base32.encode(secret), uri: TOTP(secret: secret).uri(account: agent.email))
    }

    struct OTP: Decodable {
        var otp: String
    }

    func confirmTOTP(_ request: Request, context: HubRequestContext) async throws -> StatusAnswer {
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "an integration token has no second factor")
        }
        let body = try await request.decodeJSON(OTP.self, limit: maxBodyBytes, example: #"{"otp": "123456"}"#)
        guard let account = try await agents.credentials(id: agent.id), let seed = account.totpSecret, let sealer,
            let secret = Base32.decode(try sealer.open(seed, owner: "agent:\(agent.id)"))
        else {
            throw HubError.conflict("no_enrollment", "start with POST /api/v1/agents/me/totp")
        }
        guard TOTP(secret: secret).verify(body.otp, at: Date()) else {
            throw HubError.badRequest("invalid_otp", "the code does not match the secret: check the authenticator's clock")
        }
        try await agents.setTOTP(id: agent.id, secret: seed, confirmed: true, now: Date())
        return StatusAnswer(status: "totp_enabled")
    }

    private func validate(teams: [String], skills: Skills, capacity: Capacity?) throws(HubError) {
        let known = Set(routing.teams.map(\.id))
        if let unknown = teams.first(where: { !known.contains($0) }) {
            throw HubError.notFound("unknown_team", "no team '\(unknown)' in the manifest's teams:")
        }
        if let unknown = skills.channels.first(where: { !channels.contains($0) }) {
            throw HubError.badRequest("unknown_channel", "no channel '\(unknown)' in the manifest")
        }
        if let unknown = skills.languages.first(where: { !RoutingSettings.languages.contains($0) }) {
            throw HubError.badRequest("unknown_language", "'\(unknown)' is not one of \(RoutingSettings.languages.joined(separator: ", "))")
        }
        if let unknown = skills.topics.first(where: { !RoutingSettings.intents.contains($0) }) {
            throw HubError.badRequest("unknown_topic", "'\(unknown)' is not an intent label")
        }
        if let capacity, capacity.chat < 0 || capacity.async < 0 || capacity.chat > 100 || capacity.async > 1000 {
            throw HubError.badRequest("invalid_capacity", "capacity must be 0–100 chats and 0–1000 asynchronous conversations")
        }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }
}
