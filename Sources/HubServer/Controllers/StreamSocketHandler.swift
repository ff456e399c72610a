import Foundation
import HubCore
import HubStorage
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// `/api/v1/stream?after=SEQ&types=…`: the event log over a WebSocket. It replays from
/// `after`, then pushes each event as it is committed, one JSON text frame per event, the
/// same JSON as `GET /api/v1/events`. A client that reconnects with the last `seq` it saw
/// misses nothing and sees nothing twice. Takes the agent bearer token, `?token=`, or the console's session cookie.
///
/// An agent's console also says which conversation it shows, `{"type": "watch", "conversation": ID
/// or null, "typing": bool}`, and is sent `{"type": "presence", …}` frames (no `seq`) naming the
/// other agents on that conversation (``ConversationWatchers``).
struct StreamSocketHandler: Sendable {
    let events: EventStore
    let authenticator: Authenticator
    /// Agents' open consoles: a console that stays away past the grace makes its agent away.
    let sockets: ConsoleSockets
    let watchers: ConversationWatchers
    /// Where refused upgrades are recorded, like every refusal under `/api/v1`.
    let audit: AuditStore
    /// How long an idle stream waits before looking at the log again (a safety net: the
    /// event bell normally wakes it at once).
    static let idleCheck: Duration = .seconds(15)

    /// The parsed request: the agent, where to start, and the filter.
    struct Subscription: Sendable {
        var principal: Principal
        var after: Int64
        var types: Set<String>?
    }

    /// Checks the token and the parameters; the same for the upgrade and for the plain-HTTP answer.
    func subscription(_ request: Request) async throws -> Subscription {
        // The console's socket brings its session cookie; a page of another site cannot (the cookie is
        // SameSite=Strict), and an Origin that is not this host is refused besides.
        let cookie = Authenticator.cookieToken(of: request)
        guard let token = Authenticator.token(of: request, allowQuery: true) ?? cookie, !token.isEmpty else {
            throw HubError.unauthorized(
                "missing_token", "send Authorization: Bearer <agent token>, ?token= on the socket URL, or the console's session cookie")
        }
        if token == cookie, let origin = request.headers[.origin], let host = request.head.authority,
            URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true
        {
            throw HubError.forbidden("cross_origin", "the session cookie is only taken from the console's own origin")
        }
        guard let principal = try await authenticator.principal(token: token, now: Date()) else {
            throw HubError.unauthorized("invalid_token", "the token is not a valid session or integration token")
        }
        try principal.require(.eventsRead)
        let after = try request.integerQuery("after") ?? 0
        guard after >= 0 else { throw HubError.badRequest("invalid_parameter", "'after' must be a seq (0 or more)") }
        return Subscription(
            principal: principal, after: after, types: try EventsController.types(request.query("types")))
    }

    /// ``subscription(_:)``, with a refusal written to the audit trail as `access.denied`.
    func auditedSubscription(_ request: Request, context: HubRequestContext) async throws -> Subscription {
        do {
            return try await subscription(request)
        } catch let refusal as HubError where refusal.kind == .unauthorized || refusal.kind == .forbidden {
            await audit.recordRefusal(refusal, of: request, by: nil, context: context)
            throw refusal
        }
    }

    func register(on router: Router<HubRequestContext>) {
        // A refused upgrade goes on to the HTTP route, ``withoutUpgrade(_:context:)``, which answers
        // the reason and audits it.
        router.ws("api/v1/stream") { request, _ in
            (try? await subscription(request)) == nil ? .dontUpgrade : .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let subscription = try? await subscription(context.request) else { return }
            let agent = subscription.principal.agent
            var presence: (UUID, AsyncStream<ConversationWatchers.Frame>)?
            if let agent {
                await sockets.opened(agent.id)
                presence = await watchers.open(agentID: agent.id, name: agent.name)
            }
            var failure: (any Error)?
            do { try await stream(subscription, presence: presence, inbound: inbound, outbound: outbound) } catch { failure = error }
            if let agent { await sockets.closed(agent.id, at: Date()) }
            if let socket = presence?.0 { await watchers.close(socket) }
            if let failure { throw failure }
        }
    }

    /// `GET /api/v1/stream` without `Upgrade: websocket` gets the reason it cannot stream: 401 or 400.
    func withoutUpgrade(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try await auditedSubscription(request, context: context)
        throw HubError(.badRequest, code: "upgrade_required", message: "connect with a WebSocket client (Upgrade: websocket)")
    }

    private func stream(
        _ subscription: Subscription, presence: (UUID, AsyncStream<ConversationWatchers.Frame>)?, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Reading also notices when the client goes away.
                for try await message in inbound.messages(maxSize: 4096) {
                    guard let socket = presence?.0, case .text(let text) = message, let watch = Self.watch(text) else { continue }
                    await watchers.watch(socket, conversation: watch.conversation, typing: watch.typing)
                }
            }
            if let frames = presence?.1 {
                group.addTask {
                    for await frame in frames {
                        try await outbound.write(.text(String(decoding: try APIJSON.encoder.encode(frame), as: UTF8.self)))
                    }
                }
            }
            group.addTask {
                var after = subscription.after
                while !Task.isCancelled {
                    let rings = events.bell.rings
                    let page = try await events.events(after: after, types: subscription.types, limit: 500)
                    for event in page.events {
                        try await outbound.write(.text(event.json))
                    }
                    after = page.next
                    if page.events.isEmpty { await events.bell.wait(after: rings, timeout: Self.idleCheck) }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// A console's `watch` frame; anything else a client sends is ignored.
    static func watch(_ text: String) -> (conversation: ConversationID?, typing: Bool)? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            object["type"] as? String == "watch"
        else { return nil }
        let conversation = (object["conversation"] as? NSNumber).map(\.int64Value)
        return (conversation, object["typing"] as? Bool ?? false)
    }
}
