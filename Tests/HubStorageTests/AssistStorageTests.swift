import Foundation
import HubCore
import HubStorage
import Testing

/// Assist's tables: analyses stored once per message with the conversation's intent, tone and
/// type (an agent's type kept), routing waiting briefly for them, and knowledge-base versions.
@Suite struct AssistStorageTests {
    static func analysis(_ intent: String, _ sentiment: String = "neutral") -> MessageAnalysis {
        MessageAnalysis(
            intent: intent, confidence: 0.9, top: [ScoredLabel(label: intent, probability: 0.9)], sentiment: sentiment,
            sentimentConfidence: 0.8, language: "en", model: "m-test", source: "model")
    }

    @Test func anAnalysisIsStoredOnceWithItsEventAndTheConversationsTypeUnlessAnAgentSetIt() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer, workflow: WorkflowPolicy(awaitsAnalysis: true))
            let store = AnalysisStore(database: test.database)
            let work = WorkStore(database: test.database, teams: [])
            let conversation = try await WorkflowStorageTests().ingest(inbox, "SM1", "where is my refund")
            let page = try await store.pending(limit: 10)
            #expect(page.messages.count == 1 && page.messages[0].text == "where is my refund")
            let outcome = AnalysisOutcome(message: page.messages[0], analysis: Self.analysis("return_refund", "negative"), optOut: false)
            try await store.record([outcome], through: page.next, now: Date())
            // A repeated batch (a crash before the cursor moved) changes nothing.
            try await store.record([outcome], through: page.next, now: Date())
            #expect(try await store.pending(limit: 10).messages.isEmpty)
            let events = try await EventStore(database: test.database).events(after: 0, types: ["message.analyzed"], limit: 10)
            #expect(events.events.count == 1)
            #expect(events.events[0].data.contains(#""intent":"return_refund""#))
            #expect(events.events[0].data.contains(#""conversation_type":"after_sales""#))
            var item = try #require(try await work.item(conversation, now: Date()))
            #expect(item.intent == "return_refund" && item.sentiment == "negative" && item.type == "after_sales")
            let messages = try await ConversationStore(database: test.database).messages(
                conversationID: conversation, after: nil, limit: 10)
            #expect(messages.first?.analysis?.intent == "return_refund")

            // An agent's type stays when the next message is analysed; null gives it back.
            _ = try await work.update(conversation, ConversationChanges(type: .some("complaint")), actor: "agent:7", now: Date())
            _ = try await WorkflowStorageTests().ingest(inbox, "SM2", "thanks")
            let next = try await store.pending(limit: 10)
            try await store.record(
                [AnalysisOutcome(message: next.messages[0], analysis: Self.analysis("greeting_chitchat", "positive"), optOut: false)],
                through: next.next, now: Date())
            item = try #require(try await work.item(conversation, now: Date()))
            #expect(item.type == "complaint" && item.typeSetBy == "agent:7")
            #expect(item.intent == "greeting_chitchat")
        }
    }

    @Test func routingWaitsForAssistBrieflyAndNotForEver() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer, workflow: WorkflowPolicy(awaitsAnalysis: true))
            let agents = AgentStore(database: test.database)
            let routing = RoutingStore(database: test.database, settings: RoutingSettings(), kinds: WorkflowStorageTests.kinds)
            _ = try await WorkflowStorageTests().agent(agents, "ada@example.com")
            let conversation = try await WorkflowStorageTests().ingest(inbox, "SM1", "refund please")
            #expect(try await routing.round(now: Date()).assignments.isEmpty, "not analysed yet: routing waits")
            // Assist is down: after the wait, routing goes ahead without the intent.
            let later = try await routing.round(now: Date().addingTimeInterval(5))
            #expect(later.assignments.map(\.conversationID) == [conversation])
        }
    }

    @Test func aQueueMatchingAnIntentTakesTheConversationsAssistLabelled() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer, workflow: WorkflowPolicy(awaitsAnalysis: true))
            let store = AnalysisStore(database: test.database)
            var care = QueueConfig(id: "care")
            care.match = QueueMatch(intents: ["complaint"])
            let settings = RoutingSettings(queues: [care, QueueConfig(id: "rest")])
            let routing = RoutingStore(database: test.database, settings: settings, kinds: WorkflowStorageTests.kinds)
            _ = try await WorkflowStorageTests().agent(AgentStore(database: test.database), "ada@example.com")
            let angry = try await WorkflowStorageTests().ingest(inbox, "SM1", "your courier broke my parcel")
            let page = try await store.pending(limit: 10)
            try await store.record(
                [AnalysisOutcome(message: page.messages[0], analysis: Self.analysis("complaint", "angry"), optOut: false)],
                through: page.next, now: Date())
            let round = try await routing.round(now: Date())
            #expect(round.assignments.map(\.conversationID) == [angry])
            let item = try #require(try await WorkStore(database: test.database, teams: []).item(angry, now: Date()))
            #expect(item.queue == "care" && item.type == "complaint" && item.sentiment == "angry")
        }
    }

    @Test func articlesKeepEveryVersionWithItsAuthorAndDiffAndRollBackForward() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let store = KnowledgeStore(database: test.database) { old, new in old == new ? "" : "-\(old.count)+\(new.count)" }
        let first = KnowledgeArticle(id: "kb-a", title: "Returns", lang: "en", tags: ["returns"], status: "published", body: "7 days.")
        guard case .success(let created) = try await store.create(first, author: "agent:1", now: Date()) else {
            Issue.record("not created")
            return
        }
        #expect(created.version == 1)
        guard case .failure(.articleExists) = try await store.create(first, author: "agent:1", now: Date()) else {
            Issue.record("a second create was accepted")
            return
        }
        var second = first
        second.body = "14 days."
        guard case .success(let (updated, changed)) = try await store.update(second, author: "agent:2", now: Date()) else { return }
        #expect(updated.version == 2 && changed)
        guard case .success(let (same, unchanged)) = try await store.update(second, author: "agent:2", now: Date()) else { return }
        #expect(same.version == 2 && !unchanged, "a save that changes nothing makes no version")
        guard case .success(let unpublished) = try await store.setStatus("kb-a", to: "draft", author: "agent:3", now: Date()) else {
            return
        }
        #expect(unpublished.version == 3 && unpublished.article.status == "draft")
        #expect(try await store.published().isEmpty)
        guard case .success(let restored) = try await store.rollback("kb-a", to: 1, author: "agent:4", now: Date()) else { return }
        #expect(restored.version == 4 && restored.article == first)
        guard case .failure(.noSuchVersion) = try await store.rollback("kb-a", to: 9, author: "agent:4", now: Date()) else {
            Issue.record("rollback to a missing version was accepted")
            return
        }
        let versions = try #require(try await store.versions("kb-a"))
        #expect(versions.map(\.version) == [4, 3, 2, 1])
        #expect(versions.map(\.author) == ["agent:4", "agent:3", "agent:2", "agent:1"])
        #expect(versions.map(\.action) == ["rolled back to 1", "unpublished", "updated", "created"])
        #expect(versions.allSatisfy { !$0.diff.isEmpty })
        #expect(try await store.versions("kb-none") == nil)
        let counts = try await store.importArticles(
            [first, KnowledgeArticle(id: "kb-b", title: "B", lang: "zh", body: "b")], author: "cli", now: Date())
        #expect(counts.created == 1 && counts.unchanged == 1 && counts.updated == 0)
    }
}
