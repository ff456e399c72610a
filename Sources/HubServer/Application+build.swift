import Assist
package import Foundation
package import HubCore
import HubCurl
import HubStorage
package import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
package import Logging
import NIOCore

/// How `serve` overrides the manifest, and what tests set.
package struct HubOptions: Sendable {
    package var host: String?
    package var port: Int?
    package var databasePath: String?
    /// Adds `POST /bench/noop`, an endpoint that reads the body and does no work, for benchmarks.
    package var benchEndpoints: Bool
    /// How often the outbox dispatcher looks for due retries.
    package var dispatcherTick: Duration
    /// The most inbox entries the processing stage applies in one transaction.
    package var processingBatch: Int
    /// PBKDF2 rounds for passwords set through the API (tests lower it; stored hashes keep their own).
    package var passwordRounds: Int
    /// Called with the bound port once the server listens.
    package var onListening: @Sendable (Int) async -> Void
    /// The data key (`TRIBUTARY_DATA_KEY`): secrets at rest are sealed with it.
    package var dataKey: DataKey?
    /// The manifest's file, whose digest the audit trail keeps at each start.
    package var manifestPath: String?
    /// The SLA service's clock: tests move time instead of waiting for it.
    package var clock: @Sendable () -> Date = { Date() }

    package init(
        host: String? = nil, port: Int? = nil, databasePath: String? = nil, benchEndpoints: Bool = false,
        dispatcherTick: Duration = .milliseconds(500), processingBatch: Int = 256, passwordRounds: Int = PasswordHasher.defaultRounds,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.processingBatch = processingBatch
        self.passwordRounds = passwordRounds
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.benchEndpoints = benchEndpoints
        self.dispatcherTick = dispatcherTick
        self.onListening = onListening
    }
}

/// Builds the hub from a validated manifest: opens the database, creates each
/// channel's adapter, wires the routes and the background services.
package func buildApplication(
    manifest: Manifest, registry: ChannelKindRegistry, options: HubOptions = HubOptions(), logger: Logger
) async throws -> some ApplicationProtocol {
    let manifest = manifest.overriding(with: options)

    // `:memory:` is for tests of handler logic; everything the hub acknowledges needs the file.
    let database =
        manifest.server.databasePath == HubDatabase.memoryPath
        ? try HubDatabase.inMemory() : try HubDatabase.open(path: manifest.server.databasePath)
    let writer = GroupCommitWriter(writer: database.writer)
    // Refuses a database whose secrets were sealed under another key, or any key at all when none is set.
    let sealer = try await DataKeyGate.prepare(StoredSecrets(database: database), key: options.dataKey, now: Date())
    let live = LiveSessions()
    // One HTTP client for every channel and webhook; each takes a lane of its own threads.
    let http = CurlClient(workers: 2)
    var services = AdapterServices(live: live, publicBaseURL: manifest.publicBaseURL, logger: logger)
    services.lend(http)
    var adapters: [ChannelID: any ChannelAdapter] = [:]
    for channel in manifest.channels {
        guard let kind = registry.kind(named: channel.kind) else {
            throw HubError(.internalError, code: "unknown_kind", message: "channel '\(channel.id)' has unknown kind '\(channel.kind)'")
        }
        adapters[channel.id] = try kind.makeAdapter(for: channel, services: services.forChannel(channel))
    }
    let outbox = OutboxStore(database: database, writer: writer)
    let dispatcher = OutboxDispatcher(
        outbox: outbox, adapters: adapters, settings: manifest.outbox, logger: logger, tick: options.dispatcherTick)
    // Assist: the model (loaded, or trained at first start), the knowledge base, the service.
    let model =
        manifest.assist.enabled
        ? AssistBootstrap.model(settings: manifest.assist, databasePath: manifest.server.databasePath, logger: logger) : nil
    let knowledgeStore = KnowledgeStore(database: database, differ: { LineDiff.unified(from: $0, to: $1) })
    let knowledge = KnowledgeBase(
        store: knowledgeStore, synonyms: AssistBootstrap.synonyms(settings: manifest.assist, logger: logger),
        threshold: manifest.assist.kbThreshold,
        reranker: manifest.assist.embeddings.map { EmbeddingReranker(endpoint: $0, client: http.lane("assist-embeddings")) })
    try await AssistBootstrap.seedKnowledgeBase(settings: manifest.assist, store: knowledgeStore, logger: logger)
    try await knowledge.reload()
    let assist = model.map { model in
        AssistEngine(
            model: model, minConfidence: manifest.assist.minConfidence,
            secondOpinion: manifest.assist.llm.map { IntentSecondOpinion(endpoint: $0, client: http.lane("assist-llm")) })
    }
    // The bot answers on the channels whose `bot:` is on, and only with assist (it reads its labels).
    let botStarts = manifest.botStarts(assistEnabled: model != nil)
    let bot =
        model == nil
        ? nil
        : BotEngine(
            knowledge: { await knowledge.botKnowledge() },
            channels: Dictionary(
                uniqueKeysWithValues: botStarts.map { id, start in
                    (id, BotChannel(settings: start.settings, style: BotChannel.style(forKind: manifest.channel(id)?.kind ?? "")))
                }),
            minConfidence: manifest.assist.minConfidence,
            phraser: manifest.assist.llm.map { BotPhraser(endpoint: $0, client: http.lane("assist-llm")) })
    let inbox = InboxStore(
        database: database, writer: writer, policy: IdentityPolicy(manifest.identity),
        workflow: WorkflowPolicy(manifest.routing, awaitsAnalysis: model != nil, bots: botStarts))
    let decoded = DecodedDeliveries()
    let completions = InboxCompletions()
    let processor = InboxProcessor(
        inbox: inbox, adapters: adapters, decoded: decoded, completions: completions, logger: logger,
        batchLimit: options.processingBatch, tick: options.dispatcherTick)
    let webhookDeliveries = WebhookDeliveryStore(database: database)
    let webhookDispatcher =
        manifest.webhooks.isEmpty
        ? nil
        : WebhookDispatcher(
            webhooks: manifest.webhooks, store: webhookDeliveries, bell: database.events, http: http, logger: logger,
            tick: min(options.dispatcherTick * 2, .seconds(1)))
    let agents = AgentStore(database: database)
    let kinds = Dictionary(uniqueKeysWithValues: manifest.channels.map { ($0.id, WorkKind.of(channelKind: $0.kind)) })
    let routingStore = RoutingStore(
        database: database, settings: manifest.routing, kinds: kinds, capabilities: adapters.mapValues(\.capabilities))
    let sockets = ConsoleSockets()
    let routing = RoutingService(
        store: routingStore, bell: database.events, sockets: sockets, grace: manifest.routing.presenceGrace.timeInterval, logger: logger,
        tick: max(options.dispatcherTick, .milliseconds(500)), sendsQueued: { [dispatcher] in dispatcher.wake() })
    let hub = Hub(
        manifest: manifest, database: database, inbox: inbox,
        conversations: ConversationStore(database: database), customers: CustomerStore(database: database),
        identity: IdentityGraphStore(database: database, writer: writer), outbox: outbox,
        orders: OrderStore(database: database), syncState: SyncStateStore(database: database),
        mailArchive: MailArchive(database: database),
        adapters: ChannelAdapters(byID: adapters), chat: ChatChannels(manifest: manifest, adapters: adapters), live: live,
        dispatcher: dispatcher, processor: processor, decoded: decoded, completions: completions,
        events: EventStore(database: database), webhookDeliveries: webhookDeliveries, webhookDispatcher: webhookDispatcher,
        agents: agents,
        work: WorkStore(
            database: database, teams: Set(manifest.routing.teams.map(\.id)), botChannels: Set(bot?.channels.keys.map { $0 } ?? [])),
        routingStore: routingStore,
        routing: routing, sockets: sockets, knowledgeStore: knowledgeStore, knowledge: knowledge, assist: assist, bot: bot,
        botStore: BotStore(database: database, writer: writer),
        tickets: TicketStore(
            database: database, setup: SLASetup(settings: manifest.tickets, calendars: manifest.calendars),
            teams: Set(manifest.routing.teams.map(\.id)),
            capabilities: { [capabilities = adapters.mapValues(\.capabilities)] in capabilities[$0] }),
        authenticator: Authenticator(integrations: manifest.agents, agents: agents),
        hasher: PasswordHasher(rounds: options.passwordRounds), sealer: sealer, logger: logger)

    // The hub reads its manifest only at start: each start is the audited "reload".
    try await hub.audit.append(
        AuditEntry(
            at: Date(), actor: "system", action: "manifest.load", target: options.manifestPath,
            detail: options.manifestPath.flatMap { path in
                FileManager.default.contents(atPath: path).map { "sha256 " + SHA256Digest.hex(Array($0)) }
            }))
    // One `/chat` rate limit for the widget's HTTP routes and its socket.
    let chatLimiter = RateLimiter(manifest.limits.chat)
    let router = buildRouter(
        hub, assets: try StaticAssets.load(), console: try ConsoleAssets.load(), chatLimiter: chatLimiter,
        benchEndpoints: options.benchEndpoints)
    let socketRouter = buildWebSocketRouter(hub, chatLimiter: chatLimiter)

    var app = Application(
        router: router,
        server: try serverBuilder(socketRouter: socketRouter, manifest: manifest),
        configuration: .init(address: .hostname(manifest.server.host, port: manifest.server.port), serverName: "tributary"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? manifest.server.port
            logger.notice("listening", metadata: ["host": .string(manifest.server.host), "port": "\(port)"])
            await options.onListening(port)
        },
        logger: logger)
    // Shutdown runs in reverse: the server stops first, then the dispatcher, then
    // the writer drains what in-flight requests queued.
    let syncs = adapters.values.compactMap { $0 as? any SyncingAdapter }.map {
        ChannelSync(adapter: $0, pipeline: hub.pipeline, state: hub.syncState, logger: logger)
    }
    // One tracking channel follows every shop's parcels; the first one in the manifest.
    let tracker = manifest.channels.lazy.compactMap { adapters[$0.id] as? any TrackingAdapter }.first
    let tracking = TrackingService(
        adapter: tracker, store: TrackingStore(database: database), pipeline: hub.pipeline, logger: logger,
        tick: options.dispatcherTick)
    // The processing stage stops before the writer, so its last batch is committed.
    app.addServices(
        HTTPClientService(client: http), writer, processor, dispatcher, SyncService(syncs: syncs, logger: logger), tracking, routing)
    if let webhookDispatcher { app.addServices(webhookDispatcher) }
    // Business time in reports follows the first calendar of the manifest (wall-clock time without one).
    let reportCalendar = manifest.calendars.first
    app.addServices(
        AnalyticsService(
            aggregator: DurationAggregator(database: database) { start, end in
                reportCalendar?.businessSeconds(from: start, to: end) ?? end.timeIntervalSince(start)
            }, sampler: AgentLoadSampler(database: database), logger: logger, tick: max(options.dispatcherTick, .milliseconds(500))))
    let operations = OperationsStore(database: database)
    app.addServices(
        OverloadMonitor(state: hub.overload, policy: manifest.limits.overload, logger: logger) {
            let inbox = try await operations.inbox(now: Date())
            return (inbox.inboxBacklog, inbox.inboxLagSeconds)
        })
    app.addServices(
        MetricsService(events: hub.events, metrics: hub.metrics, logger: logger, tick: max(options.dispatcherTick, .milliseconds(500))))
    app.addServices(AuditRetentionService(audit: hub.audit, retention: manifest.audit.retention, logger: logger, clock: options.clock))
    app.addServices(
        TicketService(
            store: hub.tickets, logger: logger, tick: manifest.tickets.tick, followTick: max(options.dispatcherTick, .milliseconds(500)),
            clock: options.clock))
    if let assist {
        app.addServices(
            AssistService(
                store: AnalysisStore(database: database), engine: assist, logger: logger,
                tick: max(options.dispatcherTick, .milliseconds(500))))
    }
    if let bot, !bot.channels.isEmpty {
        let shops = adapters.compactMapValues { $0 as? any OrderActionAdapter }
        app.addServices(
            BotService(
                store: hub.botStore, engine: bot, overload: hub.overload, shops: shops, capabilities: adapters.mapValues(\.capabilities),
                logger: logger,
                tick: max(options.dispatcherTick, .milliseconds(500)), sendsQueued: { [dispatcher] in dispatcher.wake() }))
    }
    return app
}

/// The guarded HTTP/1 server, wrapped in TLS when `server.tls` names a certificate and key.
private func serverBuilder(socketRouter: Router<HubRequestContext>, manifest: Manifest) throws -> HTTPServerBuilder {
    let plain = guardedServer(socketRouter: socketRouter, manifest: manifest)
    guard let files = manifest.server.tls else { return plain }
    do {
        let key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(plain, tlsConfiguration: configuration)
    } catch {
        throw HubError(
            .internalError, code: "tls_unusable",
            message: "server.tls: cannot use \(files.certificate) and \(files.key) as a PEM certificate chain and key (\(error))")
    }
}

/// HTTP/1 with WebSocket upgrades, each connection behind a ``ConnectionGuard`` (the manifest's
/// `limits:`), and kept-alive connections closed after `limits.idle_timeout` with nothing to do.
private func guardedServer(socketRouter: Router<HubRequestContext>, manifest: Manifest) -> HTTPServerBuilder {
    let webSocketResponder = socketRouter.buildResponder()
    let counter = ConnectionCounter(capPerAddress: manifest.limits.connectionsPerAddress)
    let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
        http1: .init(idleTimeout: .milliseconds(manifest.limits.idleTimeout.milliseconds)),
        ws: .init(maxFrameSize: max(manifest.server.maxBodyBytes, 1 << 14), autoPing: .enabled(timePeriod: .seconds(30))))
    let headerTimeout = TimeAmount.milliseconds(manifest.limits.headerTimeout.milliseconds)
    return HTTPServerBuilder { responder in
        GuardedChannel(
            inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
            counter: counter, headerTimeout: headerTimeout)
    }
}

extension Manifest {
    /// The channels whose bot is on, when assist is, each with the calendar it reads (and that
    /// calendar's time zone for what it says).
    func botStarts(assistEnabled: Bool) -> [ChannelID: BotStart] {
        guard assistEnabled else { return [:] }
        var result: [ChannelID: BotStart] = [:]
        for channel in channels {
            guard var settings = channel.bot, settings.isOn else { continue }
            let calendar = settings.calendar.flatMap { name in calendars.first { $0.id == name } }
            if let calendar { settings.timeZone = calendar.timeZone }
            result[channel.id] = BotStart(settings: settings, calendar: calendar)
        }
        return result
    }

    /// The base URL providers call; webhook signatures over the URL use it.
    var publicBaseURL: String {
        server.publicURL ?? "\(server.tls == nil ? "http" : "https")://\(server.host):\(server.port)"
    }

    /// The manifest with the command line's overrides applied.
    func overriding(with options: HubOptions) -> Manifest {
        var manifest = self
        if let host = options.host { manifest.server.host = host }
        if let port = options.port { manifest.server.port = port }
        if let path = options.databasePath { manifest.server.databasePath = path }
        return manifest
    }
}
