package import Foundation
import HubCore

/// What the inbox stores for one web chat message: the submission tied to its
/// visitor, without the token (a credential never goes into the inbox).
package struct WebChatEnvelope: Sendable, Hashable, Codable {
    package var visitor: String
    package var id: String?
    package var text: String
    package var name: String?
    package var email: String?
    package var sentAt: Date

    package init(submission: ChatSubmission, visitorID: String, receivedAt: Date) {
        self.visitor = visitorID
        self.id = submission.clientID
        self.text = submission.text
        self.name = submission.name
        self.email = submission.email
        self.sentAt = receivedAt
    }

    package func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return Array(try encoder.encode(self))
    }

    package static func decode(_ bytes: [UInt8]) throws -> WebChatEnvelope {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(WebChatEnvelope.self, from: Data(bytes))
    }
}
