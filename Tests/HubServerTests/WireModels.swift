import Foundation

/// The hub's JSON answers as the tests read them: the fields they assert, named as on the
/// wire (snake_case keys become camelCase). Written apart from the server's own types, so a
/// change to the wire format fails here rather than passing through both sides.
enum Wire {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Decodes one JSON text (a socket frame) as `T`.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(T.self, from: Data(text.utf8))
    }

    /// A web chat socket frame: `welcome`, `ack`, `message`, `history` or `error`.
    struct ChatFrame: Decodable {
        var type: String
        var id: String?
        var visitor: String?
        var customer: Int?
        var conversation: Int?
        var duplicate: Bool?
        var error: String?
        /// The message id in an `ack`, the message in a `message` frame, the text in an `error`.
        var message: FrameMessage?
        var messages: [ChatMessage]?

        init(type: String) {
            self.type = type
        }

        /// The pushed message of a `message` frame.
        var pushed: ChatMessage? {
            if case .message(let message)? = message { return message }
            return nil
        }
    }

    enum FrameMessage: Decodable {
        case id(Int)
        case text(String)
        case message(ChatMessage)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let id = try? container.decode(Int.self) {
                self = .id(id)
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .message(try container.decode(ChatMessage.self))
            }
        }
    }

    /// A message as the widget sees it, on the socket and in `GET /chat/{channel}/messages`.
    struct ChatMessage: Decodable {
        var id: Int
        var text: String?
        var author: Author?
        var status: String?
    }

    struct ChatHistory: Decodable {
        var messages: [ChatMessage]
    }

    /// `{error, message}` of every failed request.
    struct ErrorAnswer: Decodable {
        var error: String
        var message: String
    }

    /// `{status}` of the hooks and health answers.
    struct StatusAnswer: Decodable {
        var status: String
    }

    struct Author: Decodable {
        var role: String
        var name: String?
    }

    struct Message: Decodable {
        var id: Int
        var conversation: Int
        var channel: String
        var direction: String
        var author: Author
        var text: String
        var status: String
    }

    /// `POST /chat/{channel}/messages` and the socket's `ack`.
    struct ChatReceipt: Decodable {
        var id: String?
        var visitor: String
        var customer: Int
        var conversation: Int
        var message: Int
        var duplicate: Bool?
    }

    struct Identity: Decodable {
        var kind: String
        var value: String?
        var channel: String?
        var verified: Bool
    }

    struct Attribute: Decodable {
        struct Value: Decodable {
            var value: String
            var customer: Int
        }

        var name: String
        var values: [Value]
    }

    struct Customer: Decodable {
        var id: Int
        var redirectedFrom: Int?
        var identities: [Identity]
        var attributes: [Attribute]?
        var mergedCustomers: [Int]?
    }

    struct CustomerList: Decodable {
        var customers: [Customer]
    }

    struct TimelineEvent: Decodable {
        var id: Int
        var channel: String
        var kind: String
        var at: String
        var conversation: Int?
        var summary: String
        var message: Message?
    }

    struct Timeline: Decodable {
        var customer: Int
        var events: [TimelineEvent]
    }

    struct Merge: Decodable {
        var id: Int
        var actor: String
        var reason: String?
        var state: String
    }

    /// `POST /api/v1/customers/{id}/merge`.
    struct MergeOutcome: Decodable {
        var merge: Merge?
        var customer: Int
        var created: Bool
    }

    struct MergeTrail: Decodable {
        var merges: [Merge]
    }

    struct MergeProposal: Decodable {
        var id: Int
        var rule: String
        var state: String
    }

    struct ProposalList: Decodable {
        var proposals: [MergeProposal]
    }

    struct ConversationDetail: Decodable {
        var messages: [Message]
    }

    /// `POST /api/v1/conversations/{id}/messages`.
    struct QueuedReply: Decodable {
        var message: Message
    }

    /// `message.*` and `conversation.*` payloads, as far as the tests read them.
    struct EventData: Decodable {
        var message: Message?
        var customer: Int?
        /// An id in `message.*`, the conversation itself in `conversation.*`.
        var conversation: ConversationReference?
        var channel: String?
    }

    struct ConversationReference: Decodable {
        var id: Int

        init(from decoder: any Decoder) throws {
            if let id = try? decoder.singleValueContainer().decode(Int.self) {
                self.id = id
            } else {
                struct Conversation: Decodable { var id: Int }
                id = try Conversation(from: decoder).id
            }
        }
    }

    struct LoggedEvent: Decodable {
        var seq: Int
        var type: String
        var at: String
        var data: EventData
    }

    struct EventPage: Decodable {
        var events: [LoggedEvent]
        var next: Int
    }

    struct InboxEntry: Decodable {
        var id: Int
        var channel: String
        var dedupeKey: String?
        var state: String
        var attempts: Int
        var lastError: String?
    }

    struct OutboxEntry: Decodable {
        var id: Int
        var message: Int
        var channel: String
        var state: String
        var attempts: Int
        var lastError: String?
    }

    /// `{entries}` of the inbox and outbox lists.
    struct EntryList<Entry: Decodable>: Decodable {
        var entries: [Entry]
    }

    struct Channel: Decodable {
        var id: String
        var kind: String
        var status: String
    }

    struct ChannelList: Decodable {
        var channels: [Channel]
    }
}
