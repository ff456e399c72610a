import HubCore
import Hummingbird
import Logging

/// Answers `429` with `Retry-After` once a key's bucket is empty (``RateLimiter``); the key is
/// chosen per family: the client address and token on `/api`, the channel on `/hooks`, the
/// address and channel on `/chat`, the address on logins.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let limiter: RateLimiter
    let key: @Sendable (Request, HubRequestContext) -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let wait = await limiter.take(key(request, context)) {
            context.logger.notice("rate limited", metadata: ["path": .string(request.uri.path), "retry_after": "\(wait)"])
            throw HubError(
                .tooManyRequests, code: "rate_limited", message: "too many requests: try again in \(wait) s",
                headers: ["Retry-After": String(wait)])
        }
        return try await next(request, context)
    }
}

extension RateLimitMiddleware {
    /// `/api/v1`: per client address and bearer token (or session cookie), so that one
    /// integration cannot starve the agents, nor one address the rest.
    static func api(_ limit: RateLimit) -> Self {
        RateLimitMiddleware(limiter: RateLimiter(limit)) { request, context in
            let token = Authenticator.token(of: request, allowQuery: false) ?? Authenticator.cookieToken(of: request) ?? ""
            return (context.sourceIP ?? "-") + "|" + token
        }
    }

    /// `/hooks/{channel}`: per channel, whoever sends.
    static func hooks(_ limit: RateLimit) -> Self {
        RateLimitMiddleware(limiter: RateLimiter(limit)) { _, context in context.parameters.get("channel") ?? "-" }
    }

    /// `/chat/{channel}`: per client address and channel (the limiter is shared with the chat socket).
    static func chat(_ limiter: RateLimiter) -> Self {
        RateLimitMiddleware(limiter: limiter) { _, context in chatKey(address: context.sourceIP, channel: context.parameters.get("channel"))
        }
    }

    static func chatKey(address: String?, channel: String?) -> String {
        (address ?? "-") + "|" + (channel ?? "-")
    }

    /// Logins: per client address, before any password is hashed.
    static func login(_ limit: RateLimit) -> Self {
        RateLimitMiddleware(limiter: RateLimiter(limit)) { _, context in context.sourceIP ?? "-" }
    }
}
