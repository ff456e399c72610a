import HTTPTypes
import HubCore
import Hummingbird
import HummingbirdWebSocket

/// The whole HTTP surface, as `openapi.yaml` describes it: every route the hub answers, with
/// the controller that handles it. Each controller gets only the stores it uses.
func buildRouter(_ hub: Hub, assets: StaticAssets, benchEndpoints: Bool) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorMiddleware())
    let maxBodyBytes = hub.manifest.server.maxBodyBytes

    let system = SystemController(database: hub.database, assets: assets, chat: hub.chat)
    router.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("healthz", use: system.health)
            .get("readyz", use: system.ready)
            .get("openapi.yaml", use: system.openAPI)
            .get("widget.js", use: system.widget)
            .get("widget/demo", use: system.demo))

    let hooks = HooksController(
        adapters: hub.adapters, inbox: hub.inbox, decoded: hub.decoded, processor: hub.processor,
        publicBaseURL: hub.manifest.publicBaseURL, maxBodyBytes: maxBodyBytes)
    router.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .post(use: hooks.receive)
            .get(use: hooks.answerVerification),
        atPath: "hooks/{channel}")

    let chat = ChatController(ingest: hub.chatIngest, maxBodyBytes: maxBodyBytes)
    router.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: chat.socketWithoutUpgrade)
            .post("messages", use: chat.post)
            .get("messages", use: chat.history),
        atPath: "chat/{channel}")

    // Everything under /api/v1 takes an agent's bearer token.
    let api = router.group("api/v1").add(middleware: AgentAuthMiddleware(agents: hub.manifest.agents))

    let channels = ChannelsController(
        channels: hub.manifest.channels, adapters: hub.adapters, chat: hub.chat, live: hub.live, syncState: hub.syncState)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: channels.list)
            .get("{channel}/status", use: channels.status),
        atPath: "channels")

    let customers = CustomersController(customers: hub.customers, orders: hub.orders)
    let merges = MergeController(identity: hub.identity, maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: customers.search)
            .get("{id}", use: customers.profile)
            .get("{id}/timeline", use: customers.timeline)
            .get("{id}/orders", use: customers.orders)
            .get("{id}/merges", use: merges.merges)
            .post("{id}/merge", use: merges.merge),
        atPath: "customers")
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .post("merges/{id}/undo", use: merges.undo)
            .get("merge-proposals", use: merges.proposals)
            .post("merge-proposals/{id}/accept", use: merges.accept)
            .post("merge-proposals/{id}/reject", use: merges.reject))

    let conversations = ConversationsController(
        conversations: hub.conversations, outbox: hub.outbox, adapters: hub.adapters, dispatcher: hub.dispatcher,
        maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("{id}", use: conversations.show)
            .post("{id}/messages", use: conversations.reply),
        atPath: "conversations")

    let mail = MailController(mailArchive: hub.mailArchive)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("{id}/original", use: mail.original)
            .get("{id}/attachments/{index}", use: mail.attachment),
        atPath: "messages")

    let outbox = OutboxController(outbox: hub.outbox)
    let events = EventsController(events: hub.events)
    let stream = StreamSocketHandler(events: hub.events, agents: hub.manifest.agents)
    let inbox = InboxController(inbox: hub.inbox, processor: hub.processor)
    let webhooks = WebhooksController(
        webhooks: hub.manifest.webhooks, deliveries: hub.webhookDeliveries, dispatcher: hub.webhookDispatcher)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("outbox", use: outbox.list)
            .get("events", use: events.page)
            .get("inbox", use: inbox.list)
            .post("inbox/{id}/retry", use: inbox.retry)
            .get("webhooks", use: webhooks.list)
            .get("webhooks/{id}/deliveries", use: webhooks.deliveries)
            .post("webhooks/{id}/deliveries/{delivery}/replay", use: webhooks.replay))
    // The socket itself is on the upgrade router below; a plain GET learns why it cannot stream.
    // It is outside the authenticated group because a socket may bring its token as `?token=`.
    router.get("api/v1/stream", use: stream.withoutUpgrade)

    if benchEndpoints {
        router.post("bench/noop") { request, _ in
            var request = request
            _ = try await request.collectBytes(limit: maxBodyBytes)
            return Answer(StatusAnswer(status: "ok"), status: .created)
        }
    }
    router.refuseUnsupportedMethods()
    return router
}

/// The routes that upgrade to a WebSocket: the web chat and the event stream.
func buildWebSocketRouter(_ hub: Hub) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    ChatSocketHandler(ingest: hub.chatIngest, maxFrameBytes: hub.manifest.server.maxBodyBytes).register(on: router)
    StreamSocketHandler(events: hub.events, agents: hub.manifest.agents).register(on: router)
    return router
}

extension Router<HubRequestContext> {
    /// Every path answers the methods it was not registered for with `405` and `Allow`,
    /// rather than Hummingbird's `404`, which would say the path does not exist.
    func refuseUnsupportedMethods() {
        var methods: [String: Set<HTTPRequest.Method>] = [:]
        var paths: [String: RouterPath] = [:]
        for route in routes {
            methods[route.path.description, default: []].insert(route.method)
            paths[route.path.description] = route.path
        }
        let candidates: [HTTPRequest.Method] =
            [.get, .head, .post, .put, .patch, .delete, .options, .trace] + [.init("QUERY")].compactMap { $0 }
        for (key, var allowed) in methods {
            guard let path = paths[key] else { continue }
            // HEAD is answered wherever GET is (the router's autoGenerateHeadEndpoints).
            if allowed.contains(.get) { allowed.insert(.head) }
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            for method in candidates where !allowed.contains(method) {
                on(
                    path, method: method,
                    use: { _, _ -> Response in
                        throw HubError(
                            .methodNotAllowed, code: "method_not_allowed", message: "this path answers \(allow)", headers: ["Allow": allow])
                    })
            }
        }
    }
}
