import Foundation
import HubCore

/// Open web chat sockets, by channel and visitor: where replies are pushed.
actor LiveSessions: LiveDelivery {
    struct Key: Hashable {
        var channelID: ChannelID
        var threadKey: String
    }

    private var sessions: [Key: [UUID: AsyncStream<MessageView>.Continuation]] = [:]

    /// Registers a socket; messages for the visitor arrive on the returned stream.
    func open(channelID: ChannelID, threadKey: String) -> (UUID, AsyncStream<MessageView>) {
        let (stream, continuation) = AsyncStream.makeStream(of: MessageView.self, bufferingPolicy: .bufferingNewest(1000))
        let id = UUID()
        sessions[Key(channelID: channelID, threadKey: threadKey), default: [:]][id] = continuation
        return (id, stream)
    }

    func close(_ id: UUID, channelID: ChannelID, threadKey: String) {
        let key = Key(channelID: channelID, threadKey: threadKey)
        sessions[key]?.removeValue(forKey: id)?.finish()
        if sessions[key]?.isEmpty == true { sessions[key] = nil }
    }

    func deliver(_ message: MessageView, channelID: ChannelID, threadKey: String) -> Bool {
        guard let open = sessions[Key(channelID: channelID, threadKey: threadKey)], !open.isEmpty else { return false }
        var reached = false
        for continuation in open.values {
            if case .enqueued = continuation.yield(message) { reached = true }
        }
        return reached
    }

    /// How many sockets are open, for the channel status.
    func count(channelID: ChannelID) -> Int {
        sessions.filter { $0.key.channelID == channelID }.reduce(0) { $0 + $1.value.count }
    }

}
