import Foundation
import HTTPTypes
import HubCore
import HummingbirdTesting
import Testing

/// Assist over real HTTP: a customer's message gets its analysis on the message, the
/// conversation and the event log; an agent's type sticks; the knowledge base keeps versions,
/// rolls back, searches and suggests.
@Suite struct AssistAPITests {
    static let manifest = TestHub.manifest(
        assist: """
            assist:
              training_data: samples/assist
              knowledge_base: samples/assist/kb
              synonyms: samples/assist/synonyms.txt
            """)

    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test func aCustomerMessageIsAnalysedOnTheMessageTheConversationAndTheLog() async throws {
        try await TestHub.run(manifest: Self.manifest) { client in
            let receipt = try await EventLogAPITests.chat(client, "a-1", "亲 我要退货 衣服太大了 怎么退")
            let conversation = receipt.conversation
            let analysed = try await eventually { () -> [String: Any]? in
                let body = Self.json(try await client.send(.get, "/api/v1/conversations/\(conversation)").1)
                let messages = body["messages"] as? [[String: Any]] ?? []
                return messages.first?["analysis"] as? [String: Any]
            }
            #expect(analysed["intent"] as? String == "return_refund")
            #expect(analysed["language"] as? String == "zh")
            #expect((analysed["top"] as? [Any])?.count == 3)
            #expect((analysed["model"] as? String)?.hasPrefix("m-") == true)
            let work = Self.json(try await client.send(.get, "/api/v1/conversations/\(conversation)").1)["work"] as? [String: Any]
            #expect(work?["intent"] as? String == "return_refund" && work?["type"] as? String == "after_sales")
            let (_, events, _) = try await EventLogAPITests.events(client, "types=message.analyzed")
            #expect(events.count == 1)

            // The customer's timeline shows the same analysis.
            let timeline = Self.json(try await client.send(.get, "/api/v1/customers/\(receipt.customer)/timeline").1)
            let entries = timeline["events"] as? [[String: Any]] ?? []
            #expect(
                entries.contains {
                    (($0["message"] as? [String: Any])?["analysis"] as? [String: Any])?["intent"] as? String == "return_refund"
                })

            // An agent's type is kept; an unknown type is refused.
            let (status, _) = try await client.send(.patch, "/api/v1/conversations/\(conversation)", body: #"{"type":"complaint"}"#)
            #expect(status == .ok)
            #expect(try await client.status(.patch, "/api/v1/conversations/\(conversation)", body: #"{"type":"spam"}"#) == .badRequest)
            _ = try await EventLogAPITests.chat(client, "a-2", "谢谢", visitor: receipt.visitor)
            _ = try await eventually { () -> Bool? in
                let (_, analysed, _) = try await EventLogAPITests.events(client, "types=message.analyzed")
                return analysed.count == 2 ? true : nil
            }
            let kept = Self.json(try await client.send(.get, "/api/v1/conversations/\(conversation)").1)["work"] as? [String: Any]
            #expect(kept?["type"] as? String == "complaint" && kept?["type_set_by"] as? String == "token:ada")

            // Suggestions answer the customer's last message from the knowledge base.
            _ = try await EventLogAPITests.chat(client, "a-3", "退款多久到账", visitor: receipt.visitor)
            let suggestions = Self.json(try await client.send(.get, "/api/v1/conversations/\(conversation)/suggestions").1)
            let results = suggestions["results"] as? [[String: Any]] ?? []
            #expect(results.first?["id"] as? String == "kb-refunds")
            #expect(results.first?["version"] as? Int == 1 && suggestions["answerable"] as? Bool == true)
        }
    }

    @Test func articlesAreVersionedPublishedAndRolledBackOverTheAPI() async throws {
        try await TestHub.run(manifest: Self.manifest) { client in
            let article =
                #"{"id":"kb-gift","title":"Gift wrapping","lang":"en","tags":["gift"],"status":"published","body":"We gift wrap any order for 5 yuan."}"#
            #expect(try await client.status(.post, "/api/v1/kb/articles", body: article) == .created)
            #expect(try await client.status(.post, "/api/v1/kb/articles", body: article) == .conflict)
            let search = Self.json(try await client.send(.get, "/api/v1/kb/search?q=do%20you%20gift%20wrap%20orders").1)
            #expect((search["results"] as? [[String: Any]])?.first?["id"] as? String == "kb-gift")
            let changed = #"{"title":"Gift wrapping","lang":"en","tags":["gift"],"body":"We gift wrap any order for 8 yuan."}"#
            let updated = Self.json(try await client.send(.put, "/api/v1/kb/articles/kb-gift", body: changed).1)
            #expect(updated["version"] as? Int == 2 && updated["status"] as? String == "published")
            #expect(try await client.status(.post, "/api/v1/kb/articles/kb-gift/unpublish") == .ok)
            let hidden = Self.json(try await client.send(.get, "/api/v1/kb/search?q=gift%20wrap").1)
            #expect(!((hidden["results"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == "kb-gift" })
            let versions = Self.json(try await client.send(.get, "/api/v1/kb/articles/kb-gift/versions").1)["versions"] as? [[String: Any]]
            #expect(versions?.map { $0["version"] as? Int } == [3, 2, 1])
            #expect((versions?[1]["diff"] as? String)?.contains("+We gift wrap any order for 8 yuan.") == true)
            #expect(versions?.allSatisfy { $0["author"] as? String == "token:ada" } == true)
            let rolledBack = Self.json(try await client.send(.post, "/api/v1/kb/articles/kb-gift/rollback", body: #"{"version":1}"#).1)
            #expect(rolledBack["version"] as? Int == 4 && (rolledBack["body"] as? String)?.contains("5 yuan") == true)
            #expect(try await client.status(.post, "/api/v1/kb/articles/kb-gift/rollback", body: #"{"version":42}"#) == .notFound)
            #expect(try await client.status(.get, "/api/v1/kb/articles/kb-gift/versions/2") == .ok)
            #expect(try await client.status(.get, "/api/v1/kb/articles/kb-none") == .notFound)
            #expect(try await client.status(.get, "/api/v1/kb/search") == .badRequest)
            #expect(try await client.status(.post, "/api/v1/kb/articles", body: #"{"title":"x","lang":"fr","body":"y"}"#) == .badRequest)
            #expect(try await client.status(.post, "/api/v1/kb/articles", body: "{not json") == .badRequest)
            // The sample knowledge base was imported at first start.
            let list = Self.json(try await client.send(.get, "/api/v1/kb/articles?status=published").1)["articles"] as? [[String: Any]]
            #expect((list?.count ?? 0) >= 42)
        }
    }
}
