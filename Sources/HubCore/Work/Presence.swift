package import struct Foundation.Date
package import struct Foundation.TimeInterval

/// Whether an agent can take work now.
package enum Presence: String, Sendable, Hashable, Codable, CaseIterable {
    case online, away, offline

    /// The presence routing uses: an agent set online whose console socket left more than
    /// `grace` ago counts as away. An agent who never opened a socket since going online (an
    /// API client) counts by what they set.
    package static func effective(
        set: Presence, openSockets: Int, socketLeftAt: Date?, now: Date, grace: TimeInterval
    ) -> Presence {
        guard set == .online, openSockets == 0, let socketLeftAt else { return set }
        return now.timeIntervalSince(socketLeftAt) > grace ? .away : .online
    }
}

/// The two kinds of work capacity is counted in: a live chat needs the agent now, an
/// asynchronous conversation (mail, SMS, WeChat) can wait minutes.
package enum WorkKind: String, Sendable, Hashable, Codable, CaseIterable {
    case chat
    case async

    /// The kind of work a channel of `kind` brings.
    package static func of(channelKind kind: String) -> WorkKind {
        kind == "webchat" ? .chat : .async
    }
}

/// How many conversations of each kind an agent takes at once.
package struct Capacity: Sendable, Hashable, Codable {
    package var chat: Int
    package var async: Int

    package init(chat: Int = 5, async: Int = 20) {
        self.chat = chat
        self.async = async
    }

    package subscript(kind: WorkKind) -> Int {
        switch kind {
        case .chat: chat
        case .async: async
        }
    }
}

/// What an agent can work on: an empty list means any.
package struct Skills: Sendable, Hashable, Codable {
    package var languages: [String]
    package var channels: [ChannelID]
    package var topics: [String]

    package init(languages: [String] = [], channels: [ChannelID] = [], topics: [String] = []) {
        self.languages = languages
        self.channels = channels
        self.topics = topics
    }
}
