import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

@Suite struct StorageTests {
    /// A decoder like an adapter's: the payload is the text, the dedupe key names the sender.
    static func decoder(sender: String) -> InboundDecoder {
        { raw in
            [
                .message(
                    InboundMessage(
                        providerMessageID: nil, threadKey: sender,
                        identities: [IdentityHint(kind: .webVisitor, value: sender, verified: true)],
                        senderName: "Visitor \(sender)", parts: [.text(String(decoding: raw.body, as: UTF8.self))], sentAt: raw.receivedAt))
            ]
        }
    }

    static func envelope(_ key: String, _ text: String, at date: Date = Date()) -> InboxEnvelope {
        InboxEnvelope(channelID: "web", dedupeKey: key, contentType: "text/plain", payload: Array(text.utf8), receivedAt: date)
    }

    @Test func migrationsFromEmptyFileCreateTheSchemaInWALWithFullSync() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        #expect(FileManager.default.fileExists(atPath: test.path))
        #expect(try test.database.synchronousLevel() == 2)
        let journal = try await test.database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let tables = try await test.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["inbox", "customer", "identity", "conversation", "message", "timeline_event", "outbox", "message_fts"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        #expect(await test.database.isReady())
        // Opening again applies nothing twice.
        let reopened = try HubDatabase.open(path: test.path)
        #expect(await reopened.isReady())
    }

    @Test func concurrentDeliveriesWithOneDedupeKeyStoreOneRow() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let outcomes = try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            return try await withThrowingTaskGroup(of: IngestOutcome.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await inbox.ingest(Self.envelope("same-key", "hello"), decode: Self.decoder(sender: "a")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        let accepted = outcomes.filter { if case .accepted = $0 { true } else { false } }
        let duplicates = outcomes.compactMap { if case .duplicate(let result) = $0 { result } else { nil } as IngestResult?? }
        #expect(accepted.count == 1)
        #expect(duplicates.count == 19)
        guard case .accepted(let first, _)? = accepted.first else { return }
        // A duplicate that arrives while the first is still being processed has no ids yet;
        // once it is processed, a duplicate answers with the first delivery's ids.
        #expect(duplicates.compactMap { $0 }.allSatisfy { $0 == first }, "a duplicate answers with the first delivery's ids")
        let late = try await withWriter(test.database) { writer in
            try await InboxStore(database: test.database, writer: writer).ingest(
                Self.envelope("same-key", "hello"), decode: Self.decoder(sender: "a"))
        }
        guard case .duplicate(let answered?) = late else {
            Issue.record("expected a duplicate with the first delivery's ids, got \(late)")
            return
        }
        #expect(answered == first)
        let counts = try await test.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? -1)
        }
        #expect(counts.0 == 1)
        #expect(counts.1 == 1)
    }

    @Test func twoProcessesWritingTheSameKeyProduceOneRow() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        // A second pool on the same file stands for a second process.
        let other = try HubDatabase.open(path: test.path)
        try await withWriter(test.database) { first in
            try await withWriter(other) { second in
                async let a = InboxStore(database: test.database, writer: first).ingest(
                    Self.envelope("k", "x"), decode: Self.decoder(sender: "a"))
                async let b = InboxStore(database: other, writer: second).ingest(
                    Self.envelope("k", "x"), decode: Self.decoder(sender: "a"))
                let results = try await [a, b]
                let accepted = results.filter { if case .accepted = $0 { true } else { false } }
                #expect(accepted.count == 1)
            }
        }
        let rows = try await test.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE dedupe_key = 'k'")
        }
        #expect(rows == 1)
    }

    @Test func aFailingDecodeKeepsThePayloadFailedUntilItIsRetried() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        struct Broken: Error {}
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let outcome = try await inbox.ingest(Self.envelope("k1", "kept"), decode: { _ in throw Broken() })
            guard case .storedUnprocessed(let inboxID, let reason) = outcome else {
                Issue.record("expected storedUnprocessed, got \(outcome)")
                return
            }
            #expect(reason.contains("Broken"))
            // The same bytes would fail the same way: failed at once, and listed with the reason.
            let failed = try await inbox.entries(state: .failed, before: nil, limit: 10)
            #expect(failed.map(\.id) == [inboxID])
            #expect(failed.first?.lastError?.contains("Broken") == true)
            #expect(try await inbox.claim(limit: 10, channels: nil, now: Date()).isEmpty)
            #expect(try await inbox.retry(inboxID: inboxID, now: Date()) == true)
            #expect(try await inbox.retry(inboxID: inboxID, now: Date()) == false, "only a failed entry is retried")
            #expect(try await inbox.retry(inboxID: 999, now: Date()) == nil)
            let claimed = try await inbox.claim(limit: 10, channels: nil, now: Date())
            #expect(claimed.map(\.id) == [inboxID])
            #expect(String(decoding: try #require(claimed.first).raw.body, as: UTF8.self) == "kept")
            let events = try Self.decoder(sender: "a")(try #require(claimed.first).raw)
            let applied = try await inbox.apply(
                [DecodedEntry(id: inboxID, channelID: "web", attempt: 1, events: .success(events))], now: Date())
            guard case .processed? = applied[inboxID] else {
                Issue.record("expected processed, got \(String(describing: applied[inboxID]))")
                return
            }
            let stored = try await test.database.writer.read { db in
                try Row.fetchOne(db, sql: "SELECT state, (SELECT COUNT(*) FROM message) AS messages FROM inbox WHERE dedupe_key = 'k1'")
            }
            #expect(stored?["state"] as String? == "processed")
            #expect(stored?["messages"] as Int? == 1)
        }
    }

    @Test func fullTextSearchFindsEnglishAndChineseWords() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let ids = try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            var ids: [MessageID] = []
            for (key, text) in [("1", "Where is my parcel? It was shipped on Monday"), ("2", "你好，我的订单什么时候发货？"), ("3", "退款申请已经提交")] {
                if case .accepted(let result, _) = try await inbox.ingest(Self.envelope(key, text), decode: Self.decoder(sender: key)) {
                    ids += result.messageIDs
                }
            }
            return ids
        }
        let customers = CustomerStore(database: test.database)
        #expect(try await customers.searchMessages("parcel", limit: 10) == [ids[0]])
        #expect(try await customers.searchMessages("SHIPPED monday", limit: 10) == [ids[0]])
        #expect(try await customers.searchMessages("订单", limit: 10) == [ids[1]])
        #expect(try await customers.searchMessages("什么时候发货", limit: 10) == [ids[1]])
        #expect(try await customers.searchMessages("退款", limit: 10) == [ids[2]])
        #expect(try await customers.searchMessages("单", limit: 10) == [ids[1]])
        #expect(try await customers.searchMessages("发票", limit: 10).isEmpty)
        #expect(try await customers.searchMessages("\" OR *", limit: 10).isEmpty, "query syntax in user text is quoted, not executed")
    }

    @Test func timelineIsNewestFirstWithACursor() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let customerID = try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            var customer: CustomerID?
            // Delivered out of order: the timeline sorts by when things happened.
            for index in [3, 1, 4, 0, 2] {
                let outcome = try await inbox.ingest(
                    Self.envelope("m\(index)", "message \(index)", at: start.addingTimeInterval(Double(index))),
                    decode: Self.decoder(sender: "same"))
                if case .accepted(let result, _) = outcome { customer = result.customerID }
            }
            return try #require(customer)
        }
        let store = CustomerStore(database: test.database)
        let first = try await store.timeline(customerID: customerID, limit: 2, before: nil)
        #expect(first.events.map(\.summary) == ["message 4", "message 3"])
        let cursor = try #require(first.next.flatMap(TimelineCursor.init(token:)))
        let second = try await store.timeline(customerID: customerID, limit: 2, before: cursor)
        #expect(second.events.map(\.summary) == ["message 2", "message 1"])
        let third = try await store.timeline(customerID: customerID, limit: 2, before: second.next.flatMap(TimelineCursor.init(token:)))
        #expect(third.events.map(\.summary) == ["message 0"])
        #expect(third.next == nil)
        #expect(first.events.first?.message?.text == "message 4")
        let profile = try #require(try await store.profile(id: customerID))
        #expect(profile.identities.map(\.value) == ["same"])
        #expect(try await store.search("visitor same", limit: 5).map(\.id) == [customerID])
        #expect(try await store.search("SAME", limit: 5).map(\.id) == [customerID])
        #expect(try await store.search("nobody", limit: 5).isEmpty)
    }

    @Test func outboxRetriesThenDeadLettersAndRequeuesInterruptedSends() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            guard case .accepted(let result, _) = try await inbox.ingest(Self.envelope("m", "hi"), decode: Self.decoder(sender: "v")),
                let conversationID = result.conversationID
            else {
                Issue.record("ingest failed")
                return
            }
            let outbox = OutboxStore(database: test.database, writer: writer)
            #expect(
                try await outbox.enqueueReply(
                    conversationID: 999, parts: [.text("x")], author: Author(role: .agent), capabilities: { _ in nil }, now: Date()) == nil)
            let queued = try #require(
                try await outbox.enqueueReply(
                    conversationID: conversationID, parts: [.text("reply")], author: Author(role: .agent, name: "a"),
                    capabilities: { _ in nil }, now: Date()))
            #expect(queued.message.status == .pending)
            let now = Date()
            let jobs = try await outbox.claimDue(now: now, limit: 10)
            #expect(jobs.map(\.outboxID) == [queued.outboxID])
            #expect(jobs.first?.threadKey == "v")
            #expect(try await outbox.claimDue(now: now, limit: 10).isEmpty, "a claimed entry is not handed out twice")
            #expect(try await outbox.requeueInterrupted() == 1)
            let again = try await outbox.claimDue(now: now, limit: 10)
            #expect(again.first?.attempt == 2)
            try await outbox.recordFailure(again[0], error: "503: down", retryAt: now.addingTimeInterval(60), now: now)
            #expect(try await outbox.claimDue(now: now, limit: 10).isEmpty, "not due before its retry time")
            let later = try await outbox.claimDue(now: now.addingTimeInterval(61), limit: 10)
            try await outbox.recordFailure(later[0], error: "400: invalid", retryAt: nil, now: now)
            let failed = try await outbox.entries(state: .failed, limit: 10)
            #expect(failed.map(\.id) == [queued.outboxID])
            #expect(failed.first?.lastError == "400: invalid")
            #expect(failed.first?.attempts == 3)
            let messages = try await ConversationStore(database: test.database).messages(
                conversationID: conversationID, after: nil, limit: 10)
            #expect(messages.last?.status == .failed)
        }
    }
}
