import Foundation
import HubCore

/// Which agents have which conversation open in a console, and whether they are typing: the
/// "Li is replying…" line. Consoles report it over their event-stream socket; it is never
/// stored, and a socket that closes takes its agent off at once.
actor ConversationWatchers {
    /// One agent on a conversation, as the other consoles see them.
    struct Watcher: Sendable, Encodable, Equatable {
        var id: Int64
        var name: String
        var typing: Bool
    }

    /// `{"type": "presence", "conversation": …, "agents": […]}`: everyone else on the conversation now.
    struct Frame: Sendable, Encodable {
        var type = "presence"
        var conversation: ConversationID
        var agents: [Watcher]
    }

    private struct Socket {
        var agentID: Int64
        var name: String
        var conversation: ConversationID?
        var typing = false
        var continuation: AsyncStream<Frame>.Continuation
    }

    private var sockets: [UUID: Socket] = [:]

    /// A console socket opens: the frames it should be sent come on the stream.
    func open(agentID: Int64, name: String) -> (UUID, AsyncStream<Frame>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .bufferingNewest(64))
        sockets[id] = Socket(agentID: agentID, name: name, conversation: nil, continuation: continuation)
        return (id, stream)
    }

    /// The socket's console now shows `conversation` (`nil`: none), its agent typing or not.
    func watch(_ socket: UUID, conversation: ConversationID?, typing: Bool) {
        guard var entry = sockets[socket] else { return }
        let previous = entry.conversation
        guard previous != conversation || entry.typing != typing else { return }
        entry.conversation = conversation
        entry.typing = conversation != nil && typing
        sockets[socket] = entry
        if let previous, previous != conversation { announce(previous) }
        if let conversation { announce(conversation) }
    }

    func close(_ socket: UUID) {
        guard let entry = sockets.removeValue(forKey: socket) else { return }
        entry.continuation.finish()
        if let conversation = entry.conversation { announce(conversation) }
    }

    /// Tells every socket on `conversation` who else is there; an agent with two tabs open is
    /// one watcher, typing if either tab is.
    private func announce(_ conversation: ConversationID) {
        let present = sockets.values.filter { $0.conversation == conversation }
        for socket in present {
            var others: [Int64: Watcher] = [:]
            for other in present where other.agentID != socket.agentID {
                var watcher = others[other.agentID] ?? Watcher(id: other.agentID, name: other.name, typing: false)
                watcher.typing = watcher.typing || other.typing
                others[other.agentID] = watcher
            }
            socket.continuation.yield(Frame(conversation: conversation, agents: others.values.sorted { $0.id < $1.id }))
        }
    }
}
