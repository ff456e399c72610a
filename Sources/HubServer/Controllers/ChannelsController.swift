import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/channels`: the manifest's channels, and how current each one's data is.
struct ChannelsController: Sendable {
    let channels: [ChannelConfig]
    let adapters: ChannelAdapters
    let chat: ChatChannels
    let live: LiveSessions
    let syncState: SyncStateStore

    /// `GET /api/v1/channels`.
    func list(_ request: Request, context: HubRequestContext) async throws -> ChannelList {
        var list: [ChannelStatus] = []
        for channel in channels {
            list.append(
                ChannelStatus(
                    id: channel.id, kind: channel.kind, status: adapters[channel.id] == nil ? "unavailable" : "active",
                    liveSessions: chat.contains(channel.id) ? await live.count(channelID: channel.id) : nil))
        }
        return ChannelList(channels: list)
    }

    /// `GET /api/v1/channels/{channel}/status`.
    func status(_ request: Request, context: HubRequestContext) async throws -> ChannelSyncStatus {
        let channelID = try context.parameters.text("channel")
        guard let channel = channels.first(where: { $0.id == channelID }) else {
            throw HubError.notFound("unknown_channel", "no channel '\(channelID)' in the manifest")
        }
        let interval = (adapters[channelID] as? any SyncingAdapter)?.pollInterval
        return try await syncState.status(channelID: channelID, kind: channel.kind, pollInterval: interval)
    }
}

struct ChannelList: ResponseEncodable {
    var channels: [ChannelStatus]
}

struct ChannelStatus: Encodable {
    var id: ChannelID
    var kind: String
    var status: String
    var liveSessions: Int?

    enum CodingKeys: String, CodingKey {
        case id, kind, status
        case liveSessions = "live_sessions"
    }
}
