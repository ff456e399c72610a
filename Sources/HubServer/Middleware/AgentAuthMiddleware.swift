import HubCore
import Hummingbird

/// Requires `Authorization: Bearer <token>` naming an agent of the manifest.
struct AgentAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let agents: [AgentCredential]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HubError.unauthorized("missing_token", "send Authorization: Bearer <agent token>")
        }
        guard let matched = Self.agent(presenting: String(header.dropFirst("bearer ".count)), among: agents) else {
            throw HubError.unauthorized("invalid_token", "the bearer token is not an agent token")
        }
        var context = context
        context.agentName = matched
        return try await next(request, context)
    }

    /// The agent whose token this is, compared against every token so that timing does not
    /// reveal which one is close.
    static func agent(presenting token: String, among agents: [AgentCredential]) -> String? {
        let presented = Array(token.utf8)
        var matched: String?
        for agent in agents where constantTimeEquals(Array(agent.token.utf8), presented) {
            matched = agent.name
        }
        return matched
    }

    static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
