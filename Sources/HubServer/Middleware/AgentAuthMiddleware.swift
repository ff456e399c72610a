import Foundation
import HTTPTypes
import HubCore
import HubStorage
import Hummingbird
import Logging

/// Requires `Authorization: Bearer <token>` (an agent's session token or an integration token of
/// the manifest) or the console's session cookie, whose writes must also carry `X-CSRF-Token`.
/// Each route then checks its own permission (``permit(_:_:)``).
///
/// Every refusal below it (`401`, and `403` from a missing permission or CSRF token) is written to
/// the audit trail with the caller, the route and the reason.
struct AgentAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let authenticator: Authenticator
    let audit: AuditStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var caller: Principal?
        do {
            let authenticated = try await authenticate(request, context: context)
            caller = authenticated.principal
            return try await next(request, authenticated)
        } catch let refusal as HubError where refusal.kind == .unauthorized || refusal.kind == .forbidden {
            await audit.recordRefusal(refusal, of: request, by: caller, context: context)
            throw refusal
        }
    }

    /// The context with the caller a valid token or cookie names.
    private func authenticate(_ request: Request, context: Context) async throws -> Context {
        var context = context
        if let token = Authenticator.token(of: request, allowQuery: false) {
            guard let principal = try await authenticator.principal(token: token, now: Date()) else {
                throw HubError.unauthorized("invalid_token", "the bearer token is not a valid session or integration token")
            }
            context.principal = principal
            context.bearerToken = token
        } else if let token = Authenticator.cookieToken(of: request) {
            guard let principal = try await authenticator.principal(token: token, now: Date()) else {
                throw HubError.unauthorized("invalid_session", "the session has ended: log in again")
            }
            // A browser sends the cookie on any request to this origin; only the page that logged in
            // knows the CSRF token, so a write must carry it.
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[Self.csrfHeader], !sent.isEmpty else {
                    throw HubError.forbidden("csrf_required", "a write with the session cookie needs the X-CSRF-Token header")
                }
                guard ConstantTime.equals(sent, Authenticator.csrfToken(for: token)) else {
                    throw HubError.forbidden("csrf_invalid", "the X-CSRF-Token does not belong to this session")
                }
            }
            context.principal = principal
            context.bearerToken = token
        } else {
            throw HubError.unauthorized("missing_token", "send Authorization: Bearer <token>: log in at /api/v1/auth/login")
        }
        return context
    }

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
}

extension HubRequestContext {
    /// The authenticated caller; routes behind ``AgentAuthMiddleware`` always have one.
    func caller() throws(HubError) -> Principal {
        guard let principal else { throw HubError.unauthorized("missing_token", "send Authorization: Bearer <token>") }
        return principal
    }
}

/// Wraps a handler so that it runs only for callers with `permission`; others get `403`
/// naming it. Every `/api/v1` route is registered through this (openapi.yaml's `x-permission`).
func permit<Output: ResponseGenerator>(
    _ permission: Permission, _ handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Output
) -> @Sendable (Request, HubRequestContext) async throws -> Output {
    { request, context in
        try context.caller().require(permission)
        return try await handler(request, context)
    }
}
