import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Merging, proposals, redirects and undo through `/api/v1` over real HTTP.
@Suite struct MergeAPITests {
    static let manifest = TestHub.manifest(
        extraChannels: """
              - id: relay
                kind: relay-test
                settings: { secret: "${RELAY_SECRET:-relay-secret}" }
            """)

    func chat(_ client: some TestClientProtocol, id: String, text: String, email: String? = nil, name: String? = nil) async throws -> Int {
        var body: [String: Any] = ["id": id, "text": text]
        if let email { body["email"] = email }
        if let name { body["name"] = name }
        let (status, receipt) = try await client.json(.post, "/chat/web/messages", body: jsonText(body), token: nil)
        #expect(status == .created)
        return try #require(receipt["customer"] as? Int)
    }

    @Test func agentsMergeUndoAndDecideProposalsWithClearErrors() async throws {
        try await TestHub.run(manifest: Self.manifest) { client in
            // Two visitors type the same email into the pre-chat form: a proposal, not a merge.
            let first = try await chat(client, id: "c1", text: "first visitor", email: "Li.Lei@Example.com", name: "Li Lei")
            let second = try await chat(client, id: "c2", text: "second visitor", email: "li.lei@example.com ", name: "Lei Li")
            #expect(first != second)
            let (_, open) = try await client.json(.get, "/api/v1/merge-proposals")
            let proposals = try #require(open["proposals"] as? [[String: Any]])
            #expect(proposals.count == 1)
            #expect(proposals.first?["rule"] as? String == "email")
            let proposal = try #require(proposals.first?["id"] as? Int)

            // An SMS-like webhook from a phone: a third customer, merged by hand.
            let (delivered, _) = try await client.json(
                .post, "/hooks/relay", body: #"{"from":"+8613800138000","text":"sms text"}"#, token: nil,
                headers: [HTTPField.Name("X-Test-Secret")!: "relay-secret", HTTPField.Name("X-Event-Id")!: "e1"])
            #expect(delivered == .ok)
            // Processing runs in its own stage after the acknowledgement.
            let found = try await client.eventually("/api/v1/customers?q=13800138000") {
                !(($0["customers"] as? [[String: Any]]) ?? []).isEmpty
            }
            let phoneCustomers = found["customers"] as? [[String: Any]] ?? []
            let third = try #require(phoneCustomers.first?["id"] as? Int)

            let (badSelf, selfError) = try await client.json(.post, "/api/v1/customers/\(first)/merge", body: #"{"other": \#(first)}"#)
            #expect(badSelf == .badRequest)
            #expect(selfError["error"] as? String == "self_merge")
            let (missing, _) = try await client.json(.post, "/api/v1/customers/\(first)/merge", body: #"{"other": 424242}"#)
            #expect(missing == .notFound)
            let (malformed, malformedError) = try await client.json(.post, "/api/v1/customers/\(first)/merge", body: #"{"other": "x"}"#)
            #expect(malformed == .badRequest)
            #expect(malformedError["error"] as? String == "malformed_json")
            #expect((try await client.json(.get, "/api/v1/customers/\(first)/merges").1["merges"] as? [Any])?.isEmpty == true)

            let (created, merged) = try await client.json(
                .post, "/api/v1/customers/\(first)/merge", body: #"{"other": \#(third), "reason": "same phone on the order"}"#)
            #expect(created == .created)
            let merge = try #require(merged["merge"] as? [String: Any])
            let mergeID = try #require(merge["id"] as? Int)
            #expect(merge["actor"] as? String == "agent:ada")
            #expect(merge["reason"] as? String == "same phone on the order")
            let (repeated, again) = try await client.json(.post, "/api/v1/customers/\(third)/merge", body: #"{"other": \#(first)}"#)
            #expect(repeated == .ok)
            #expect(again["created"] as? Bool == false)

            // The merged-away id answers with the survivor, never 404.
            let (redirected, profile) = try await client.json(.get, "/api/v1/customers/\(third)")
            #expect(redirected == .ok)
            #expect(profile["id"] as? Int == first)
            #expect(profile["redirected_from"] as? Int == third)
            let (_, timeline) = try await client.json(.get, "/api/v1/customers/\(third)/timeline")
            #expect(timeline["customer"] as? Int == first)
            #expect((timeline["events"] as? [[String: Any]])?.compactMap { $0["channel"] as? String } == ["relay", "web"])
            let trail = try await client.json(.get, "/api/v1/customers/\(third)/merges").1["merges"] as? [[String: Any]] ?? []
            #expect(trail.count == 1 && trail.first?["state"] as? String == "active")

            // Accepting the proposal joins the second visitor too.
            let (accepted, decided) = try await client.json(.post, "/api/v1/merge-proposals/\(proposal)/accept")
            #expect(accepted == .ok)
            #expect(decided["state"] as? String == "accepted")
            let (twice, _) = try await client.json(.post, "/api/v1/merge-proposals/\(proposal)/reject")
            #expect(twice == .conflict)
            let whole = try await client.json(.get, "/api/v1/customers/\(second)").1
            #expect(Set(whole["merged_customers"] as? [Int] ?? []) == Set([first, second, third]).subtracting([whole["id"] as? Int ?? 0]))
            let names = (whole["attributes"] as? [[String: Any]])?.first { $0["name"] as? String == "name" }
            #expect((names?["values"] as? [[String: Any]])?.count == 2, "both typed names are kept")

            // Undo the manual merge: the phone customer stands alone again; undoing twice is a 409.
            let (undone, undoAnswer) = try await client.json(.post, "/api/v1/merges/\(mergeID)/undo")
            #expect(undone == .ok)
            #expect(undoAnswer["state"] as? String == "undone")
            let (conflict, conflictError) = try await client.json(.post, "/api/v1/merges/\(mergeID)/undo")
            #expect(conflict == .conflict)
            #expect(conflictError["error"] as? String == "merge_already_undone")
            #expect((try await client.json(.post, "/api/v1/merges/999/undo")).0 == .notFound)
            let alone = try await client.json(.get, "/api/v1/customers/\(third)/timeline").1
            #expect(alone["customer"] as? Int == third)
            #expect((alone["events"] as? [Any])?.count == 1)
            #expect((try await client.json(.get, "/api/v1/merge-proposals?state=sideways")).0 == .badRequest)
            #expect((try await client.json(.post, "/api/v1/merge-proposals/777/accept")).0 == .notFound)
            #expect((try await client.json(.get, "/api/v1/merge-proposals", token: nil)).0 == .unauthorized)
        }
    }
}
