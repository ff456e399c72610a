import HubCore
import HubStorage
import Logging

/// Everything the routes and services are made from, assembled once from the manifest;
/// ``buildRouter(_:assets:benchEndpoints:)`` hands each controller only what it uses.
struct Hub: Sendable {
    let manifest: Manifest
    let database: HubDatabase
    let inbox: any InboxStore
    let conversations: any ConversationStore
    let customers: any CustomerStore
    let identity: any IdentityGraphStore
    let outbox: any OutboxStore
    let orders: any OrderStore
    let syncState: any SyncStateStore
    let mailArchive: any MailArchive
    let adapters: ChannelAdapters
    let chat: ChatChannels
    let live: LiveSessions
    let dispatcher: OutboxDispatcher
    let processor: InboxProcessor
    /// Events adapters decoded while checking deliveries, for the processing stage.
    let decoded: DecodedDeliveries
    /// Waits on an entry's processing (web chat receipts, sync summaries).
    let completions: InboxCompletions
    let events: any EventStore
    let webhookDeliveries: any WebhookDeliveryStore
    /// `nil` when the manifest declares no webhooks.
    let webhookDispatcher: WebhookDispatcher?
    let logger: Logger

    var pipeline: InboxPipeline {
        InboxPipeline(inbox: inbox, processor: processor, completions: completions)
    }

    var chatIngest: ChatIngest {
        ChatIngest(channels: chat, conversations: conversations, pipeline: pipeline, live: live, logger: logger)
    }
}
