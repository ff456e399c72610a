import HubCore
import HubStorage
import Logging

/// Everything a route or service needs, assembled once from the manifest.
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
    /// Adapters by channel id, in manifest order.
    let adapters: [ChannelID: any ChannelAdapter]
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

    /// The adapter of a declared channel; `404` otherwise.
    func adapter(_ channelID: ChannelID) throws(HubError) -> any ChannelAdapter {
        guard let adapter = adapters[channelID] else {
            throw HubError.notFound("unknown_channel", "no channel '\(channelID)' in the manifest")
        }
        return adapter
    }

    var pipeline: InboxPipeline {
        InboxPipeline(inbox: inbox, processor: processor, completions: completions)
    }

    /// The public base URL providers use, for signatures computed over the URL.
    var publicBaseURL: String {
        manifest.publicBaseURL
    }
}
