import Foundation
import HubServer
import HummingbirdTesting
import Testing

/// Composer drafts on the server: per conversation and agent, found again on the next read (a
/// reload), private to their agent, removed by sending the reply; tokens keep none.
@Suite struct DraftsAPITests {
    struct LoggedIn: Decodable {
        var token: String
    }

    struct DraftAnswer: Decodable {
        var draft: Draft?

        struct Draft: Decodable {
            var text: String
            var note: Bool
            var channel: String?
        }
    }

    func agentToken(_ client: any TestClientProtocol, _ email: String) async throws -> String {
        #expect(
            try await client.status(
                .post, "/api/v1/agents",
                body: #"{"name": "\#(email)", "email": "\#(email)", "password": "correct horse battery", "role": "agent"}"#)
                == .created)
        return try await client.decoded(
            LoggedIn.self, .post, "/api/v1/auth/login", body: #"{"email": "\#(email)", "password": "correct horse battery"}"#, token: nil
        ).1.token
    }

    @Test func aDraftIsKeptPerAgentAndSendingTheReplyRemovesIt() async throws {
        try await TestHub.run { client in
            let receipt = try await EventLogAPITests.chat(client, "d1", "is the lamp in stock?")
            let path = "/api/v1/conversations/\(receipt.conversation)/draft"
            let li = try await agentToken(client, "li@example.cn")
            let wang = try await agentToken(client, "wang@example.cn")

            #expect(try await client.decoded(DraftAnswer.self, .get, path, token: li).1.draft == nil)
            let saved = try await client.decoded(
                DraftAnswer.self, .put, path, body: #"{"text": "Yes, we have 3 left", "note": false}"#, token: li)
            #expect(saved.0 == .ok && saved.1.draft?.text == "Yes, we have 3 left")
            _ = try await client.decoded(
                DraftAnswer.self, .put, path, body: #"{"text": "Check the warehouse first", "note": true}"#, token: wang)
            let again = try await client.decoded(DraftAnswer.self, .get, path, token: li).1.draft
            #expect(again?.text == "Yes, we have 3 left" && again?.note == false)
            #expect(try await client.decoded(DraftAnswer.self, .get, path, token: wang).1.draft?.note == true)

            // Li sends the reply: Li's draft is gone, Wang's stays.
            #expect(
                try await client.status(
                    .post, "/api/v1/conversations/\(receipt.conversation)/messages", body: #"{"text": "Yes, we have 3 left"}"#, token: li
                )
                .code < 300)
            #expect(try await client.decoded(DraftAnswer.self, .get, path, token: li).1.draft == nil)
            #expect(try await client.decoded(DraftAnswer.self, .get, path, token: wang).1.draft?.text == "Check the warehouse first")
            // Wang empties the composer, which removes the draft; an integration token has none.
            #expect(try await client.decoded(DraftAnswer.self, .put, path, body: #"{"text": ""}"#, token: wang).1.draft == nil)
            #expect(try await client.decoded(DraftAnswer.self, .get, path, token: wang).1.draft == nil)
            #expect(try await client.status(.get, path) == .forbidden)
            #expect(try await client.status(.get, "/api/v1/conversations/999999/draft", token: li) == .notFound)
        }
    }
}
