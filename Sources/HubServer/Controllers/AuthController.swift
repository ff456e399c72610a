import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `POST /api/v1/auth/login` and `/logout`: agent sessions.
struct AuthController: Sendable {
    let agents: AgentStore
    let hasher: PasswordHasher
    let maxBodyBytes: Int
    /// Whether the hub is reached over HTTPS (`server.public_url`), so the cookie is `Secure`.
    let secureCookies: Bool
    let events: EventStore
    let audit: AuditStore
    /// Opens sealed TOTP seeds (``DataKeyGate`` refuses to start without the key when there are any).
    let sealer: SecretSealer?

    struct Login: Decodable {
        var email: String
        var password: String
        var otp: String?
    }

    struct LoggedIn: ResponseEncodable {
        var token: String
        var agent: AgentView
        var expiresAt: Date
        /// What a browser using the session cookie sends as `X-CSRF-Token` on writes.
        var csrfToken: String

        enum CodingKeys: String, CodingKey {
            case token, agent
            case expiresAt = "expires_at"
            case csrfToken = "csrf_token"
        }
    }

    struct Session: ResponseEncodable {
        var agent: AgentView
        /// The role's permissions, so a console shows only the views its agent may use.
        var permissions: [String]
        var csrfToken: String
        /// The event log's last `seq` now: a console that loads its lists after this and then
        /// follows `/api/v1/stream?after=seq` misses nothing in between.
        var seq: Int64

        enum CodingKeys: String, CodingKey {
            case agent, seq, permissions
            case csrfToken = "csrf_token"
        }
    }

    /// Answers the session token, and sets it as an `HttpOnly`, `SameSite=Strict` cookie for a
    /// browser console (API clients use the token and ignore the cookie).
    /// Every attempt is audited: `auth.login` with the agent, or refused with the reason and the
    /// address tried.
    func login(_ request: Request, context: HubRequestContext) async throws -> Answer<LoggedIn> {
        let login = try await request.decodeJSON(
            Login.self, limit: maxBodyBytes, example: #"{"email": string, "password": string, "otp"?: string}"#)
        let now = Date()
        do {
            let (loggedIn, headers) = try await attempt(login, now: now, context: context)
            try await audit.append(
                AuditEntry(
                    at: now, actor: "agent:\(loggedIn.agent.id)", action: "auth.login", target: "agent:\(loggedIn.agent.id)",
                    sourceIP: context.sourceIP))
            return Answer(loggedIn, headers: headers)
        } catch let refusal as HubError {
            try await audit.append(
                AuditEntry(
                    at: now, actor: "anonymous", action: "auth.login", target: "email:\(login.email.lowercased())", outcome: "denied",
                    sourceIP: context.sourceIP, detail: refusal.code))
            throw refusal
        }
    }

    private func attempt(_ login: Login, now: Date, context: HubRequestContext) async throws -> (LoggedIn, HTTPFields) {
        let refused = HubError.unauthorized("invalid_credentials", "the email or the password is wrong")
        guard let account = try await agents.credentials(email: login.email) else {
            _ = await hasher.verify(login.password, against: PasswordHasher.decoy)
            throw refused
        }
        if account.agent.locked {
            throw HubError.forbidden("account_locked", "too many failed logins: an admin must reset this agent's password")
        }
        if let allowedAt = account.loginAllowedAt, allowedAt > now {
            let wait = Int(allowedAt.timeIntervalSince(now).rounded(.up))
            throw HubError(
                .tooManyRequests, code: "login_throttled", message: "too many failed logins: try again in \(wait) s",
                headers: ["Retry-After": String(wait)])
        }
        guard await hasher.verify(login.password, against: account.passwordHash) else {
            try await fail(account, now: now, context: context)
            throw refused
        }
        if let seed = account.totpSecret, account.totpConfirmed {
            guard let otp = login.otp, !otp.isEmpty else {
                throw HubError.unauthorized("otp_required", "this account has a second factor: send the code as 'otp'")
            }
            let opened = try sealer?.open(seed, owner: "agent:\(account.agent.id)") ?? seed
            guard let secret = Base32.decode(opened), TOTP(secret: secret).verify(otp, at: now) else {
                try await fail(account, now: now, context: context)
                throw HubError.unauthorized("invalid_otp", "the one-time code is wrong or expired")
            }
        }
        guard account.agent.active else { throw HubError.forbidden("account_inactive", "this agent account is deactivated") }
        try await agents.recordSuccessfulLogin(id: account.agent.id, now: now)
        let token = Authenticator.newSessionToken()
        let expiresAt = now.addingTimeInterval(Authenticator.sessionLifetime)
        try await agents.createSession(agentID: account.agent.id, tokenHash: Authenticator.hash(token), expiresAt: expiresAt, now: now)
        context.logger.info("agent logged in", metadata: ["agent": "\(account.agent.id)"])
        return (
            LoggedIn(token: token, agent: account.agent, expiresAt: expiresAt, csrfToken: Authenticator.csrfToken(for: token)),
            [.setCookie: Authenticator.sessionCookie(token, secure: secureCookies)]
        )
    }

    private func fail(_ account: AgentCredentials, now: Date, context: HubRequestContext) async throws {
        let (failures, locked) = try await agents.recordFailedLogin(id: account.agent.id, now: now)
        context.logger.notice("failed login", metadata: ["agent": "\(account.agent.id)", "failures": "\(failures)", "locked": "\(locked)"])
        if locked { throw HubError.forbidden("account_locked", "too many failed logins: an admin must reset this agent's password") }
    }

    /// Ends the caller's session; an integration token has none to end.
    func logout(_ request: Request, context: HubRequestContext) async throws -> Answer<StatusAnswer> {
        guard context.principal?.agent != nil, let token = context.bearerToken else {
            throw HubError.forbidden("not_a_session", "integration tokens do not log out: remove them from the manifest")
        }
        try await agents.deleteSession(tokenHash: Authenticator.hash(token))
        return Answer(StatusAnswer(status: "logged_out"), headers: [.setCookie: Authenticator.sessionCookie(nil, secure: secureCookies)])
    }

    /// `GET /api/v1/auth/session`: the session's agent and CSRF token, for a console page that
    /// (re)loads with only its cookie.
    func session(_ request: Request, context: HubRequestContext) async throws -> Session {
        guard let agent = context.principal?.agent, let token = context.bearerToken else {
            throw HubError.forbidden("not_a_session", "an integration token has no session")
        }
        return Session(
            agent: agent, permissions: agent.role.permissions.map(\.rawValue).sorted(), csrfToken: Authenticator.csrfToken(for: token),
            seq: try await events.head())
    }
}
