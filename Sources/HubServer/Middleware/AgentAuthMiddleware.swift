import Foundation
import HubCore
import Hummingbird

/// Requires `Authorization: Bearer <token>`: an agent's session token or an integration token
/// of the manifest. Each route then checks its own permission (``permit(_:_:)``).
struct AgentAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Authenticator.token(of: request, allowQuery: false) else {
            throw HubError.unauthorized("missing_token", "send Authorization: Bearer <token>: log in at /api/v1/auth/login")
        }
        guard let principal = try await authenticator.principal(token: token, now: Date()) else {
            throw HubError.unauthorized("invalid_token", "the bearer token is not a valid session or integration token")
        }
        var context = context
        context.principal = principal
        context.bearerToken = token
        return try await next(request, context)
    }
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
