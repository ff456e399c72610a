import HTTPTypes
import HubCore
import HubStorage
import Hummingbird
import HummingbirdWebSocket

/// The whole HTTP surface, as `openapi.yaml` describes it: every route the hub answers, with
/// the controller that handles it. Each controller gets only the stores it uses.
func buildRouter(
    _ hub: Hub, assets: StaticAssets, console: ConsoleAssets, chatLimiter: RateLimiter, benchEndpoints: Bool
) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestMetricsMiddleware(metrics: hub.metrics))
    router.add(middleware: ErrorMiddleware())
    let maxBodyBytes = hub.manifest.server.maxBodyBytes
    let limits = hub.manifest.limits

    let metrics = MetricsController(
        metrics: hub.metrics, operations: OperationsStore(database: hub.database), channels: hub.manifest.channels.map(\.id))
    let system = SystemController(database: hub.database, assets: assets, chat: hub.chat, overload: hub.overload)
    router.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("healthz", use: system.health)
            .get("readyz", use: system.ready)
            .get("openapi.yaml", use: system.openAPI)
            .get("metrics", use: metrics.scrape)
            .get("widget.js", use: system.widget)
            .get("widget/demo", use: system.demo))
    // The agent console: a page and its modules, all from memory.
    router.get("console") { request, _ in try console.response("index.html", request: request) }
    router.get("console/{file}") { request, context in try console.response(try context.parameters.require("file"), request: request) }

    let hooks = HooksController(
        adapters: hub.adapters, inbox: hub.inbox, decoded: hub.decoded, processor: hub.processor,
        publicBaseURL: hub.manifest.publicBaseURL, maxBodyBytes: maxBodyBytes)
    router.group("hooks/{channel}").add(middleware: RateLimitMiddleware.hooks(limits.hooks))
        .post(use: hooks.receive)
        .get(use: hooks.answerVerification)

    let chat = ChatController(ingest: hub.chatIngest, maxBodyBytes: maxBodyBytes)
    router.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .add(middleware: RateLimitMiddleware.chat(chatLimiter))
            .get(use: chat.socketWithoutUpgrade)
            .post("messages", use: chat.post)
            .get("messages", use: chat.history),
        atPath: "chat/{channel}")

    let authController = AuthController(
        agents: hub.agents, hasher: hub.hasher, maxBodyBytes: maxBodyBytes,
        secureCookies: hub.manifest.server.tls != nil || hub.manifest.server.publicURL?.lowercased().hasPrefix("https://") == true,
        events: hub.events, audit: hub.audit,
        sealer: hub.sealer)
    router.group("api/v1/auth/login").add(middleware: RateLimitMiddleware.login(limits.login)).post(use: authController.login)

    // Everything else under /api/v1 takes a bearer token (an agent's session or an integration
    // token), and each route checks its own permission: README's matrix, openapi.yaml's x-permission.
    let audit = hub.audit
    let auditTrail = AuditController(audit: audit)
    let reports = ReportsController(reports: ReportStore(database: hub.database))
    let api = router.group("api/v1").add(middleware: RateLimitMiddleware.api(limits.api)).add(
        middleware: AgentAuthMiddleware(authenticator: hub.authenticator, audit: hub.audit))
    let wakeRouting: @Sendable () -> Void = { [routing = hub.routing] in routing.wake() }
    api.post("auth/logout", use: audit.recording("auth.logout", authController.logout))
    api.get("auth/session", use: permit(.agentsRead, authController.session))

    let channels = ChannelsController(
        channels: hub.manifest.channels, adapters: hub.adapters, chat: hub.chat, live: hub.live, syncState: hub.syncState)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: permit(.channelsRead, channels.list))
            .get("{channel}/status", use: permit(.channelsRead, channels.status)),
        atPath: "channels")

    let customers = CustomersController(customers: hub.customers, orders: hub.orders, work: hub.work)
    let merges = MergeController(identity: hub.identity, maxBodyBytes: maxBodyBytes)
    let privacy = PrivacyController(
        customers: hub.customers, exporter: CustomerExporter(database: hub.database, tickets: hub.tickets), maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: permit(.customersRead, customers.search))
            .get("{id}", use: permit(.customersRead, customers.profile))
            .get("{id}/timeline", use: permit(.customersRead, customers.timeline))
            .get("{id}/orders", use: permit(.customersRead, customers.orders))
            .get("{id}/merges", use: permit(.customersRead, merges.merges))
            .post("{id}/merge", use: permit(.customersMerge, audit.recording("customer.merge", target: "customer:{id}", merges.merge)))
            .post("{id}/reveal", use: permit(.customersRead, audit.recording("pii.reveal", target: "customer:{id}", privacy.reveal)))
            .get("{id}/export", use: permit(.piiReveal, audit.recording("customer.export", target: "customer:{id}", privacy.export))),
        atPath: "customers")
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .post("merges/{id}/undo", use: permit(.customersMerge, audit.recording("customer.unmerge", target: "merge:{id}", merges.undo)))
            .get("merge-proposals", use: permit(.customersRead, merges.proposals))
            .post(
                "merge-proposals/{id}/accept",
                use: permit(.customersMerge, audit.recording("customer.proposal_accept", target: "proposal:{id}", merges.accept))
            )
            .post(
                "merge-proposals/{id}/reject",
                use: permit(.customersMerge, audit.recording("customer.proposal_reject", target: "proposal:{id}", merges.reject))))

    let agents = AgentsController(
        agents: hub.agents, hasher: hub.hasher, routing: hub.manifest.routing, channels: Set(hub.manifest.channels.map(\.id)),
        wake: wakeRouting, maxBodyBytes: maxBodyBytes, sealer: hub.sealer)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: permit(.agentsRead, agents.list))
            .post(use: permit(.agentsManage, audit.recording("agent.create", agents.create)))
            .get("me", use: permit(.agentsRead, agents.me))
            .put("me/presence", use: permit(.presenceSelf, agents.setOwnPresence))
            .post("me/totp", use: permit(.agentsRead, agents.enrollTOTP))
            .post("me/totp/confirm", use: permit(.agentsRead, audit.recording("agent.totp_enrol", target: "self", agents.confirmTOTP)))
            .get("{id}", use: permit(.agentsRead, agents.show))
            .patch("{id}", use: permit(.agentsManage, audit.recording("agent.update", target: "agent:{id}", agents.update)))
            .post(
                "{id}/password",
                use: permit(.agentsManage, audit.recording("agent.password_reset", target: "agent:{id}", agents.resetPassword))
            )
            .put(
                "{id}/presence", use: permit(.presenceManage, audit.recording("agent.presence", target: "agent:{id}", agents.setPresence))),
        atPath: "agents")

    let work = WorkController(work: hub.work, routing: hub.routingStore, wake: wakeRouting, maxBodyBytes: maxBodyBytes)
    let conversations = ConversationsController(
        conversations: hub.conversations, outbox: hub.outbox, adapters: hub.adapters,
        channelKinds: Dictionary(uniqueKeysWithValues: hub.manifest.channels.map { ($0.id, $0.kind) }), dispatcher: hub.dispatcher,
        work: work,
        maxBodyBytes: maxBodyBytes)
    let drafts = DraftsController(database: hub.database, work: work, maxBodyBytes: maxBodyBytes)
    let knowledge = KnowledgeController(
        store: hub.knowledgeStore, knowledge: hub.knowledge, conversations: hub.conversations, work: work, maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: permit(.conversationsRead, work.list))
            .get("{id}", use: permit(.conversationsRead, conversations.show))
            .patch(
                "{id}", use: permit(.conversationsWrite, audit.recording("conversation.update", target: "conversation:{id}", work.update))
            )
            .post("{id}/messages", use: permit(.conversationsWrite, conversations.reply))
            .get("{id}/reply-options", use: permit(.conversationsRead, conversations.replyOptions))
            .get("{id}/notes", use: permit(.conversationsRead, work.notes))
            .post("{id}/notes", use: permit(.conversationsWrite, work.addNote))
            .post("{id}/claim", use: permit(.queuesPull, audit.recording("conversation.claim", target: "conversation:{id}", work.claim)))
            .post(
                "{id}/transfer",
                use: permit(.conversationsAssign, audit.recording("conversation.transfer", target: "conversation:{id}", work.transfer))
            )
            .get("{id}/suggestions", use: permit(.kbRead, knowledge.suggestions))
            .get("{id}/draft", use: permit(.conversationsRead, drafts.show))
            .put("{id}/draft", use: permit(.conversationsWrite, drafts.save))
            .delete("{id}/draft", use: permit(.conversationsWrite, drafts.remove)),
        atPath: "conversations")
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("articles", use: permit(.kbRead, knowledge.list))
            .post("articles", use: permit(.kbManage, knowledge.create))
            .get("articles/{id}", use: permit(.kbRead, knowledge.show))
            .put("articles/{id}", use: permit(.kbManage, knowledge.update))
            .get("articles/{id}/versions", use: permit(.kbRead, knowledge.versions))
            .get("articles/{id}/versions/{version}", use: permit(.kbRead, knowledge.version))
            .post("articles/{id}/rollback", use: permit(.kbManage, knowledge.rollback))
            .post("articles/{id}/publish", use: permit(.kbManage, knowledge.publish))
            .post("articles/{id}/unpublish", use: permit(.kbManage, knowledge.unpublish))
            .get("search", use: permit(.kbRead, knowledge.search)),
        atPath: "kb")
    let bot = BotController(
        engine: hub.bot, assist: hub.assist, store: hub.botStore, orders: hub.orders,
        channelKinds: Dictionary(uniqueKeysWithValues: hub.manifest.channels.map { ($0.id, $0.kind) }), work: work,
        maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self).post("preview", use: permit(.conversationsRead, bot.preview)), atPath: "assist")
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("queues", use: permit(.queuesRead, work.queues))
            .post("queues/{id}/next", use: permit(.queuesPull, audit.recording("conversation.take_next", target: "queue:{id}", work.next)))
            .get("canned", use: permit(.cannedRead, work.cannedList))
            .post("canned", use: permit(.cannedManage, work.addCanned))
            .post("canned/{id}/render", use: permit(.cannedRead, work.render)))

    let tickets = TicketsController(
        store: hub.tickets, fields: hub.manifest.tickets.fields, sendsQueued: { [dispatcher = hub.dispatcher] in dispatcher.wake() },
        maxBodyBytes: maxBodyBytes)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get(use: permit(.ticketsRead, tickets.list))
            .post(use: permit(.ticketsWrite, tickets.create))
            .get("fields", use: permit(.ticketsRead, tickets.fieldList))
            .get("{id}", use: permit(.ticketsRead, tickets.show))
            .patch("{id}", use: permit(.ticketsWrite, tickets.update))
            .get("{id}/history", use: permit(.ticketsRead, tickets.history))
            .post("{id}/merge", use: permit(.ticketsWrite, audit.recording("ticket.merge", target: "ticket:{id}", tickets.merge))),
        atPath: "tickets")
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("notifications", use: permit(.ticketsRead, tickets.notifications))
            .post("notifications/read", use: permit(.ticketsRead, tickets.markRead)))

    let mail = MailController(mailArchive: hub.mailArchive)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("{id}/original", use: permit(.conversationsRead, mail.original))
            .get("{id}/attachments/{index}", use: permit(.conversationsRead, mail.attachment)),
        atPath: "messages")

    let outbox = OutboxController(outbox: hub.outbox)
    let events = EventsController(events: hub.events)
    let stream = StreamSocketHandler(
        events: hub.events, authenticator: hub.authenticator, sockets: hub.sockets, watchers: hub.watchers, audit: hub.audit)
    let inbox = InboxController(inbox: hub.inbox, processor: hub.processor)
    let webhooks = WebhooksController(
        webhooks: hub.manifest.webhooks, deliveries: hub.webhookDeliveries, dispatcher: hub.webhookDispatcher)
    api.addRoutes(
        RouteCollection(context: HubRequestContext.self)
            .get("outbox", use: permit(.opsRead, outbox.list))
            .get("events", use: permit(.eventsRead, events.page))
            .get("inbox", use: permit(.opsRead, inbox.list))
            .post("inbox/{id}/retry", use: permit(.opsReplay, audit.recording("inbox.retry", target: "inbox:{id}", inbox.retry)))
            .get("webhooks", use: permit(.opsRead, webhooks.list))
            .get("webhooks/{id}/deliveries", use: permit(.opsRead, webhooks.deliveries))
            .post(
                "webhooks/{id}/deliveries/{delivery}/replay",
                use: permit(.opsReplay, audit.recording("webhook.replay", target: "webhook:{id}/delivery:{delivery}", webhooks.replay))
            )
            .get("audit", use: permit(.auditRead, auditTrail.list))
            .get("reports/{name}", use: permit(.reportsRead, reports.report)))
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
func buildWebSocketRouter(_ hub: Hub, chatLimiter: RateLimiter) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    ChatSocketHandler(ingest: hub.chatIngest, maxFrameBytes: hub.manifest.server.maxBodyBytes, limiter: chatLimiter)
        .register(on: router)
    StreamSocketHandler(
        events: hub.events, authenticator: hub.authenticator, sockets: hub.sockets, watchers: hub.watchers, audit: hub.audit
    ).register(
        on: router)
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
