import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Merging, proposals, redirects and undo through `/api/v1`: handler logic, so on the router
/// in process with an in-memory database.
@Suite struct MergeAPITests {
    static let manifest = TestHub.manifest(
        extraChannels: """
              - id: relay
                kind: relay-test
                settings: { secret: "${RELAY_SECRET:-relay-secret}" }
            """)

    struct ChatPost: Encodable {
        var id: String
        var text: String
        var email: String?
        var name: String?
    }

    func chat(_ client: some TestClientProtocol, id: String, text: String, email: String? = nil, name: String? = nil) async throws -> Int {
        let (status, receipt) = try await client.decoded(
            Wire.ChatReceipt.self, .post, "/chat/web/messages", body: jsonBody(ChatPost(id: id, text: text, email: email, name: name)),
            token: nil)
        #expect(status == .created)
        return receipt.customer
    }

    @Test func agentsMergeUndoAndDecideProposalsWithClearErrors() async throws {
        try await TestHub.run(manifest: Self.manifest, transport: .router) { client in
            // Two visitors type the same email into the pre-chat form: a proposal, not a merge.
            let first = try await chat(client, id: "c1", text: "first visitor", email: "Li.Lei@Example.com", name: "Li Lei")
            let second = try await chat(client, id: "c2", text: "second visitor", email: "li.lei@example.com ", name: "Lei Li")
            #expect(first != second)
            let proposals = try await client.decoded(Wire.ProposalList.self, .get, "/api/v1/merge-proposals").1.proposals
            #expect(proposals.count == 1)
            #expect(proposals.first?.rule == "email")
            let proposal = try #require(proposals.first?.id)

            // An SMS-like webhook from a phone: a third customer, merged by hand.
            let delivered = try await client.status(
                .post, "/hooks/relay", body: #"{"from":"+8613800138000","text":"sms text"}"#, token: nil,
                headers: [HTTPField.Name("X-Test-Secret")!: "relay-secret", HTTPField.Name("X-Event-Id")!: "e1"])
            #expect(delivered == .ok)
            // Processing runs in its own stage after the acknowledgement.
            let found = try await client.eventually(Wire.CustomerList.self, "/api/v1/customers?q=13800138000") { !$0.customers.isEmpty }
            let third = try #require(found.customers.first?.id)

            let (badSelf, selfError) = try await client.decoded(
                Wire.ErrorAnswer.self, .post, "/api/v1/customers/\(first)/merge", body: #"{"other": \#(first)}"#)
            #expect(badSelf == .badRequest)
            #expect(selfError.error == "self_merge")
            let missing = try await client.status(.post, "/api/v1/customers/\(first)/merge", body: #"{"other": 424242}"#)
            #expect(missing == .notFound)
            let (malformed, malformedError) = try await client.decoded(
                Wire.ErrorAnswer.self, .post, "/api/v1/customers/\(first)/merge", body: #"{"other": "x"}"#)
            #expect(malformed == .badRequest)
            #expect(malformedError.error == "malformed_json")
            #expect(try await client.decoded(Wire.MergeTrail.self, .get, "/api/v1/customers/\(first)/merges").1.merges.isEmpty)

            let (created, merged) = try await client.decoded(
                Wire.MergeOutcome.self, .post, "/api/v1/customers/\(first)/merge",
                body: #"{"other": \#(third), "reason": "same phone on the order"}"#)
            #expect(created == .created)
            let merge = try #require(merged.merge)
            let mergeID = merge.id
            #expect(merge.actor == "agent:ada")
            #expect(merge.reason == "same phone on the order")
            let (repeated, again) = try await client.decoded(
                Wire.MergeOutcome.self, .post, "/api/v1/customers/\(third)/merge", body: #"{"other": \#(first)}"#)
            #expect(repeated == .ok)
            #expect(again.created == false)

            // The merged-away id answers with the survivor, never 404.
            let (redirected, profile) = try await client.decoded(Wire.Customer.self, .get, "/api/v1/customers/\(third)")
            #expect(redirected == .ok)
            #expect(profile.id == first)
            #expect(profile.redirectedFrom == third)
            let timeline = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(third)/timeline").1
            #expect(timeline.customer == first)
            #expect(timeline.events.map(\.channel) == ["relay", "web"])
            let trail = try await client.decoded(Wire.MergeTrail.self, .get, "/api/v1/customers/\(third)/merges").1.merges
            #expect(trail.count == 1 && trail.first?.state == "active")

            // Accepting the proposal joins the second visitor too.
            let (accepted, decided) = try await client.decoded(
                Wire.MergeProposal.self, .post, "/api/v1/merge-proposals/\(proposal)/accept")
            #expect(accepted == .ok)
            #expect(decided.state == "accepted")
            let twice = try await client.status(.post, "/api/v1/merge-proposals/\(proposal)/reject")
            #expect(twice == .conflict)
            let whole = try await client.decoded(Wire.Customer.self, .get, "/api/v1/customers/\(second)").1
            #expect(Set(whole.mergedCustomers ?? []) == Set([first, second, third]).subtracting([whole.id]))
            let names = whole.attributes?.first { $0.name == "name" }
            #expect(names?.values.count == 2, "both typed names are kept")

            // Undo the manual merge: the phone customer stands alone again; undoing twice is a 409.
            let (undone, undoAnswer) = try await client.decoded(Wire.Merge.self, .post, "/api/v1/merges/\(mergeID)/undo")
            #expect(undone == .ok)
            #expect(undoAnswer.state == "undone")
            let (conflict, conflictError) = try await client.decoded(Wire.ErrorAnswer.self, .post, "/api/v1/merges/\(mergeID)/undo")
            #expect(conflict == .conflict)
            #expect(conflictError.error == "merge_already_undone")
            #expect(try await client.status(.post, "/api/v1/merges/999/undo") == .notFound)
            let alone = try await client.decoded(Wire.Timeline.self, .get, "/api/v1/customers/\(third)/timeline").1
            #expect(alone.customer == third)
            #expect(alone.events.count == 1)
            #expect(try await client.status(.get, "/api/v1/merge-proposals?state=sideways") == .badRequest)
            #expect(try await client.status(.post, "/api/v1/merge-proposals/777/accept") == .notFound)
            #expect(try await client.status(.get, "/api/v1/merge-proposals", token: nil) == .unauthorized)
        }
    }
}
