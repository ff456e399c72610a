import HubCore
import HubStorage
import Logging

/// Everything the routes and services are made from, assembled once from the manifest;
/// ``buildRouter(_:assets:console:chatLimiter:benchEndpoints:)`` hands each controller only what it uses.
struct Hub: Sendable {
    let manifest: Manifest
    let database: HubDatabase
    let inbox: InboxStore
    let conversations: ConversationStore
    let customers: CustomerStore
    let identity: IdentityGraphStore
    let outbox: OutboxStore
    let orders: OrderStore
    let syncState: SyncStateStore
    let mailArchive: MailArchive
    let adapters: ChannelAdapters
    let chat: ChatChannels
    let live: LiveSessions
    let dispatcher: OutboxDispatcher
    let processor: InboxProcessor
    /// Events adapters decoded while checking deliveries, for the processing stage.
    let decoded: DecodedDeliveries
    /// Waits on an entry's processing (web chat receipts, sync summaries).
    let completions: InboxCompletions
    let events: EventStore
    let webhookDeliveries: WebhookDeliveryStore
    /// `nil` when the manifest declares no webhooks.
    let webhookDispatcher: WebhookDispatcher?
    let agents: AgentStore
    let work: WorkStore
    let routingStore: RoutingStore
    let routing: RoutingService
    let sockets: ConsoleSockets
    /// Which agents have which conversation open in a console ("Li is replying…").
    let watchers = ConversationWatchers()
    /// The hash-chained audit trail.
    var audit: AuditStore { AuditStore(database: database) }
    /// This hub's Prometheus registry and the handles that write it.
    let metrics = HubMetrics()
    /// Whether the hub is overloaded now (``OverloadMonitor``).
    let overload = OverloadState()
    let knowledgeStore: KnowledgeStore
    let knowledge: KnowledgeBase
    /// Assist's text understanding; `nil` when assist is off.
    let assist: AssistEngine?
    /// The bot; `nil` when assist is off (it reads assist's labels).
    let bot: BotEngine?
    let botStore: BotStore
    let tickets: TicketStore
    let authenticator: Authenticator
    let hasher: PasswordHasher
    /// Seals secrets at rest; `nil` when the hub runs without a data key.
    let sealer: SecretSealer?
    let logger: Logger

    var pipeline: InboxPipeline {
        InboxPipeline(inbox: inbox, processor: processor, completions: completions)
    }

    var chatIngest: ChatIngest {
        ChatIngest(channels: chat, conversations: conversations, pipeline: pipeline, live: live, logger: logger)
    }
}
