import Foundation
import HubServer
import HummingbirdTesting
import Testing

/// What the console reads besides the existing API: reply options per channel, one customer's
/// conversations, the event head in the session, and the ticket fields of the manifest.
@Suite struct ConsoleAPITests {
    struct Options: Decodable {
        var conversation: Int
        var options: [Option]

        struct Option: Decodable {
            var conversation: Int
            var channel: String
            var kind: String
            var allowed: Bool
            var maxLength: Int?
        }
    }

    struct WorkList: Decodable {
        var conversations: [Item]

        struct Item: Decodable {
            var id: Int
            var customer: Int
        }
    }

    struct Fields: Decodable {
        var fields: [Field]

        struct Field: Decodable {
            var id: String
            var type: String
            var options: [String]
            var required: Bool
        }
    }

    struct LoggedIn: Decodable {
        var token: String
    }

    struct Session: Decodable {
        var seq: Int
    }

    @Test func replyOptionsAndOneCustomersConversations() async throws {
        try await TestHub.run(transport: .router) { client in
            let first = try await EventLogAPITests.chat(client, "c1", "is the lamp in stock?")
            let other = try await EventLogAPITests.chat(client, "c2", "hello")
            let (status, answer) = try await client.decoded(Options.self, .get, "/api/v1/conversations/\(first.conversation)/reply-options")
            #expect(status == .ok && answer.conversation == first.conversation)
            #expect(answer.options.map(\.channel) == ["web"] && answer.options[0].kind == "webchat" && answer.options[0].allowed)
            #expect(answer.options[0].conversation == first.conversation)
            #expect(try await client.status(.get, "/api/v1/conversations/999999/reply-options") == .notFound)
            // Only a mail reply copies others.
            let copied = try await client.status(
                .post, "/api/v1/conversations/\(first.conversation)/messages", body: #"{"text": "hi", "cc": ["li@example.cn"]}"#)
            #expect(copied == .conflict)

            let mine = try await client.decoded(WorkList.self, .get, "/api/v1/conversations?customer=\(first.customer)").1
            #expect(mine.conversations.map(\.id) == [first.conversation])
            let theirs = try await client.decoded(WorkList.self, .get, "/api/v1/conversations?customer=\(other.customer)").1
            #expect(theirs.conversations.map(\.id) == [other.conversation])
            #expect(try await client.status(.get, "/api/v1/conversations?customer=x") == .badRequest)
        }
    }

    @Test func theSessionCarriesTheEventHeadAndTicketFieldsComeFromTheManifest() async throws {
        let manifest =
            TestHub.manifest() + """

                tickets:
                  fields: [{ id: refund_amount, type: number, required: true }, { id: courier, type: choice, options: [sf, jd] }]
                """
        try await TestHub.run(manifest: manifest, transport: .router) { client in
            _ = try await EventLogAPITests.chat(client, "s1", "hi")
            #expect(
                try await client.status(
                    .post, "/api/v1/agents",
                    body: #"{"name": "Li", "email": "li@example.cn", "password": "correct horse battery", "role": "agent"}"#) == .created)
            let token = try await client.decoded(
                LoggedIn.self, .post, "/api/v1/auth/login", body: #"{"email": "li@example.cn", "password": "correct horse battery"}"#,
                token: nil
            ).1.token
            let head = try await EventLogAPITests.events(client, "after=0&limit=1000").2
            let session = try await client.decoded(Session.self, .get, "/api/v1/auth/session", token: token).1
            #expect(session.seq == head && head > 0)

            let fields = try await client.decoded(Fields.self, .get, "/api/v1/tickets/fields", token: token).1.fields
            #expect(fields.map(\.id) == ["refund_amount", "courier"])
            #expect(fields[0].type == "number" && fields[0].required && fields[1].options == ["sf", "jd"])
        }
    }
}
