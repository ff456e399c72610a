import Crypto
import Foundation
import HubCore
import HubStorage
import Hummingbird

/// Turns a bearer token into a ``Principal``: an integration token of the manifest (compared in
/// constant time against every one), or an agent session, looked up by the SHA-256 of the token.
struct Authenticator: Sendable {
    let integrations: [AgentCredential]
    let agents: AgentStore

    /// How long a login lasts.
    static let sessionLifetime: TimeInterval = 12 * 3600

    func principal(token: String, now: Date) async throws -> Principal? {
        var matched: AgentCredential?
        // Every token is compared, so that timing does not tell which one was close.
        for credential in integrations where ConstantTime.equals(credential.token, token) {
            matched = credential
        }
        if let matched { return Principal(kind: .integration(name: matched.name, scopes: matched.scopes)) }
        guard token.hasPrefix(Self.sessionPrefix) else { return nil }
        return try await agents.agent(sessionHash: Self.hash(token), now: now).map { Principal(kind: .agent($0)) }
    }

    /// The bearer token of a request, from `Authorization` or, for sockets, `?token=`.
    static func token(of request: Request, allowQuery: Bool) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst("bearer ".count))
        }
        guard allowQuery, let query = request.uri.queryParameters["token"] else { return nil }
        return String(query)
    }

    /// The cookie a browser console keeps its session in (`HttpOnly`, `SameSite=Strict`).
    static let cookieName = "tributary_session"

    /// The session token of the request's `Cookie` header; only session tokens travel in a cookie.
    static func cookieToken(of request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == cookieName, parts[1].hasPrefix(sessionPrefix) { return parts[1] }
            }
        }
        return nil
    }

    /// The CSRF token of a session: a cookie-authenticated write must echo it in `X-CSRF-Token`.
    /// It is derived from the session, so a page of another origin (which cannot read the
    /// login answer or the session endpoint) cannot know it.
    static func csrfToken(for sessionToken: String) -> String {
        String(hash("csrf:" + sessionToken).prefix(40))
    }

    /// `Set-Cookie` for `token`, or one that clears the cookie when `token` is nil.
    static func sessionCookie(_ token: String?, secure: Bool) -> String {
        let value = token ?? ""
        let age = token == nil ? 0 : Int(sessionLifetime)
        return "\(cookieName)=\(value); Path=/; Max-Age=\(age); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Session tokens start with this, so that a manifest token is never looked up in the database.
    static let sessionPrefix = "tbs_"

    static func newSessionToken() -> String {
        sessionPrefix + Token.random(bytes: 32)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
