import Foundation
import HubCore

/// What the inbox stores for one web chat message: the submission tied to its
/// visitor, without the token (a credential never goes into the inbox).
public struct WebChatEnvelope: Sendable, Hashable, Codable {
    public var visitor: String
    public var id: String?
    public var text: String
    public var name: String?
    public var email: String?
    public var sentAt: Date

    public init(submission: ChatSubmission, visitorID: String, receivedAt: Date) {
        self.visitor = visitorID
        self.id = submission.clientID
        self.text = submission.text
        self.name = submission.name
        self.email = submission.email
        self.sentAt = receivedAt
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return Array(try encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8]) throws -> WebChatEnvelope {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(WebChatEnvelope.self, from: Data(bytes))
    }
}
