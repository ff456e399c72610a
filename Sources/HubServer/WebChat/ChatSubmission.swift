import Foundation
package import HubCore

/// A message a visitor sends, as posted to `POST /chat/{channel}/messages` or in a
/// socket frame `{"type": "message", …}`.
package struct ChatSubmission: Sendable, Hashable {
    /// The client's id for the message, the dedupe key of retries.
    package var clientID: String?
    package var text: String
    /// The visitor token from the first reply; absent on first contact.
    package var visitorToken: String?
    package var name: String?
    package var email: String?

    package init(clientID: String?, text: String, visitorToken: String?, name: String?, email: String?) {
        self.clientID = clientID
        self.text = text
        self.visitorToken = visitorToken
        self.name = name
        self.email = email
    }

    /// Parses and checks a JSON object; throws a `400`-class ``HubError`` naming the field at fault.
    package static func parse(_ body: [UInt8], maxTextLength: Int) throws(HubError) -> ChatSubmission {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw HubError.badRequest("malformed_json", "the body must be a JSON object")
            }
            object = parsed
        } catch let error as HubError {
            throw error
        } catch {
            throw HubError.badRequest("malformed_json", "the body is not valid JSON")
        }
        return try parse(object, maxTextLength: maxTextLength)
    }

    /// Checks an already parsed JSON object.
    package static func parse(_ object: [String: Any], maxTextLength: Int) throws(HubError) -> ChatSubmission {
        func optionalString(_ key: String, limit: Int) throws(HubError) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw HubError.badRequest("invalid_field", "'\(key)' must be a string") }
            guard text.count <= limit else { throw HubError.badRequest("invalid_field", "'\(key)' is longer than \(limit) characters") }
            let trimmed = text.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let rawText = object["text"] else { throw HubError.badRequest("missing_field", "'text' is required") }
        guard let text = rawText as? String else { throw HubError.badRequest("invalid_field", "'text' must be a string") }
        guard !text.trimmingWhitespace().isEmpty else { throw HubError.badRequest("empty_text", "'text' must not be empty") }
        guard text.count <= maxTextLength else {
            throw HubError.badRequest("text_too_long", "'text' is longer than \(maxTextLength) characters")
        }
        let email = try optionalString("email", limit: 254)
        if let email, !Self.looksLikeEmail(email) {
            throw HubError.badRequest("invalid_field", "'email' is not an email address")
        }
        return ChatSubmission(
            clientID: try optionalString("id", limit: 128), text: text, visitorToken: try optionalString("visitor", limit: 128),
            name: try optionalString("name", limit: 200), email: email)
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let pieces = text.split(separator: "@", omittingEmptySubsequences: false)
        return pieces.count == 2 && !pieces[0].isEmpty && pieces[1].contains(".") && !text.contains(where: \.isWhitespace)
    }
}
