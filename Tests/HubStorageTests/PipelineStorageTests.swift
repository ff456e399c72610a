import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

/// The inbox as a stage: claiming in arrival order with the attempt counted first, batches
/// applied in order with one entry's failure rolled back alone, retries with backoff, poison
/// entries found after a stop, and the event log's gap-free seq.
@Suite struct PipelineStorageTests {
    static func decoded(_ entry: PendingEntry, sender: String) throws -> DecodedEntry {
        DecodedEntry(
            id: entry.id, channelID: entry.raw.channelID, attempt: entry.attempt,
            events: .success(try StorageTests.decoder(sender: sender)(entry.raw)))
    }

    static func column<T: DatabaseValueConvertible & Sendable>(_ database: HubDatabase, _ sql: String) async throws -> [T] {
        try await database.writer.read { db in try T.fetchAll(db, sql: sql) }
    }

    /// A real database failure for one message: SQLite refuses to store text containing "poison".
    static func poisonTrigger(_ database: HubDatabase) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_poison BEFORE INSERT ON message WHEN NEW.parts LIKE '%poison%'
                    BEGIN SELECT RAISE(ABORT, 'poisoned message'); END
                    """)
        }
    }

    @Test func claimsInArrivalOrderAndCountsTheAttemptBeforeAnyoneDecodes() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            for index in 1...5 { _ = try await inbox.store(StorageTests.envelope("k\(index)", "m\(index)")) }
            let first = try await inbox.claim(limit: 3, channels: nil, now: Date())
            #expect(first.map(\.dedupeKey) == ["k1", "k2", "k3"])
            #expect(first.allSatisfy { $0.attempt == 1 })
            let states: [String] = try await Self.column(test.database, "SELECT state || ':' || attempts FROM inbox ORDER BY id")
            #expect(states == ["processing:1", "processing:1", "processing:1", "pending:0", "pending:0"])
            #expect(try await inbox.claim(limit: 10, channels: nil, now: Date()).map(\.dedupeKey) == ["k4", "k5"])
            #expect(try await inbox.claim(limit: 10, channels: nil, now: Date()).isEmpty, "a claimed entry is not claimed twice")
            #expect(try await inbox.claim(limit: 10, channels: ["other"], now: Date()).isEmpty)
        }
    }

    @Test func aBatchAppliesInArrivalOrderAndOneFailureRollsBackAloneWithNoGapInTheLog() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await Self.poisonTrigger(test.database)
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(
                database: test.database, writer: writer,
                retryPolicy: InboxRetryPolicy(maxAttempts: 2, backoff: Backoff(initial: .seconds(60), maximum: .seconds(60))))
            for (key, text) in [("a", "first"), ("b", "poison"), ("c", "second"), ("d", "third")] {
                _ = try await inbox.store(StorageTests.envelope(key, text))
            }
            let batch = try await inbox.claim(limit: 10, channels: nil, now: Date())
            // One sender: one conversation, whose messages must keep the order they arrived in.
            let outcomes = try await inbox.apply(try batch.map { try Self.decoded($0, sender: "same") }, now: Date())
            let poisoned = try #require(batch.first { $0.dedupeKey == "b" })
            guard case .failed(let reason, let retryAt?)? = outcomes[poisoned.id] else {
                Issue.record("expected a retry for the poisoned entry, got \(String(describing: outcomes[poisoned.id]))")
                return
            }
            #expect(reason.contains("poisoned message"))
            #expect(retryAt > Date().addingTimeInterval(20))
            #expect(outcomes.values.filter { if case .processed = $0 { true } else { false } }.count == 3)
            let texts: [String] = try await Self.column(test.database, "SELECT parts FROM message ORDER BY id")
            #expect(texts.map { $0.contains("first") || $0.contains("second") || $0.contains("third") } == [true, true, true])
            #expect(texts[0].contains("first") && texts[1].contains("second") && texts[2].contains("third"))
            let conversations: [Int64] = try await Self.column(test.database, "SELECT DISTINCT conversation_id FROM message")
            #expect(conversations.count == 1)

            let seqs: [Int64] = try await Self.column(test.database, "SELECT seq FROM event ORDER BY seq")
            #expect(seqs == Array(1...Int64(seqs.count)), "the rolled-back entry left no hole in seq")
            let received: [Int64] = try await Self.column(
                test.database, "SELECT inbox_id FROM event WHERE type = 'message.received' ORDER BY seq")
            #expect(received == batch.filter { $0.dedupeKey != "b" }.map(\.id))

            // Waiting out its backoff; the other entries are done.
            #expect(try await inbox.claim(limit: 10, channels: nil, now: Date()).isEmpty)
            let retried = try await inbox.claim(limit: 10, channels: nil, now: Date().addingTimeInterval(120))
            #expect(retried.map(\.id) == [poisoned.id])
            #expect(retried.first?.attempt == 2)
            let last = try await inbox.apply(try retried.map { try Self.decoded($0, sender: "same") }, now: Date())
            guard case .failed(_, nil)? = last[poisoned.id] else {
                Issue.record("out of attempts, the entry is failed for good; got \(String(describing: last[poisoned.id]))")
                return
            }
            let failed = try await inbox.entries(state: .failed, before: nil, limit: 10)
            #expect(failed.map(\.id) == [poisoned.id])
            #expect(failed.first?.lastError?.contains("poisoned message") == true)
            #expect(try await inbox.counts() == ["processed": 3, "failed": 1])
        }
    }

    @Test func anEntryWhoseProcessingStoppedTheHubIsFoundAlone() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            for index in 1...3 { _ = try await inbox.store(StorageTests.envelope("k\(index)", "m\(index)")) }
            // The hub stops while a batch of three is being processed: one of them may be why.
            _ = try await inbox.claim(limit: 10, channels: nil, now: Date())
            #expect(try await inbox.recoverInterrupted(now: Date()) == InboxRecovery(requeued: 3, failed: 0))
            // Each is now tried on its own.
            let alone = try await inbox.claim(limit: 10, channels: nil, now: Date())
            #expect(alone.map(\.dedupeKey) == ["k1"])
            // k1 stops the hub again: it is the poison, failed for good; the others go on.
            #expect(try await inbox.recoverInterrupted(now: Date()) == InboxRecovery(requeued: 0, failed: 1))
            let next = try await inbox.claim(limit: 10, channels: nil, now: Date())
            #expect(next.map(\.dedupeKey) == ["k2"])
            _ = try await inbox.apply(try next.map { try Self.decoded($0, sender: "a") }, now: Date())
            let rest = try await inbox.claim(limit: 10, channels: nil, now: Date())
            #expect(rest.map(\.dedupeKey) == ["k3"])
            _ = try await inbox.apply(try rest.map { try Self.decoded($0, sender: "a") }, now: Date())
            let failed = try await inbox.entries(state: .failed, before: nil, limit: 10)
            #expect(failed.map(\.dedupeKey) == ["k1"])
            #expect(failed.first?.lastError?.contains("stopped while processing") == true)
            #expect(try await inbox.counts() == ["processed": 2, "failed": 1])
        }
    }

    @Test func aDecodeFailureIsFailedAtOnceWithItsReason() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            _ = try await inbox.store(StorageTests.envelope("bad", "<<<"))
            let claimed = try await inbox.claim(limit: 10, channels: nil, now: Date())
            let outcome = try await inbox.apply(
                claimed.map { DecodedEntry(id: $0.id, channelID: "web", attempt: $0.attempt, events: .failure(DecodeFailure("no From"))) },
                now: Date())
            guard case .failed("no From", nil)? = outcome[claimed[0].id] else {
                Issue.record("expected failed for good, got \(String(describing: outcome))")
                return
            }
            #expect(try await inbox.state(inboxID: claimed[0].id).map { if case .failed("no From") = $0 { true } else { false } } == true)
        }
    }

    @Test func concurrentWritersGetAGapFreeIncreasingSeq() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        _ = try await inbox.ingest(
                            StorageTests.envelope("c\(index)", "text \(index)"), decode: StorageTests.decoder(sender: "s\(index % 20)"))
                    }
                }
                try await group.waitForAll()
            }
        }
        let seqs: [Int64] = try await Self.column(test.database, "SELECT seq FROM event ORDER BY seq")
        #expect(seqs == Array(1...Int64(seqs.count)))
        let types: [String] = try await Self.column(test.database, "SELECT type FROM event")
        #expect(types.filter { $0 == "message.received" }.count == 200)
        #expect(types.filter { $0 == "customer.created" }.count == 20)
        #expect(types.filter { $0 == "conversation.opened" }.count == 20)
        let page = try await EventStore(database: test.database).events(after: 10, types: ["customer.created"], limit: 1000)
        #expect(page.events.allSatisfy { $0.seq > 10 && $0.type == "customer.created" })
        #expect(page.next == seqs.last)
    }

    @Test func aMailThreadThatGetsItsSubjectLateLogsConversationUpdated() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        @Sendable func mail(_ id: String, subject: String, references: [String]) -> [InboundEvent] {
            [
                .message(
                    InboundMessage(
                        providerMessageID: id, threadKey: "mail:\(id)",
                        identities: [IdentityHint(kind: .externalID, value: "mail:mail:li@example.com", verified: true)],
                        senderName: "Li", parts: [.text("about \(id)")], sentAt: Date(),
                        mailThreading: MailThreading(
                            messageID: id, references: references, subject: subject, from: "li@example.com",
                            to: ["support@example.com"], automated: false)))
            ]
        }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let first = InboxEnvelope(channelID: "mail", dedupeKey: "mid:a", contentType: nil, payload: [], receivedAt: Date())
            guard
                case .accepted(let opened, _) = try await inbox.ingest(
                    first, decode: { _ in mail("a@example.com", subject: "", references: []) })
            else {
                Issue.record("the first mail was not processed")
                return
            }
            let second = InboxEnvelope(channelID: "mail", dedupeKey: "mid:b", contentType: nil, payload: [], receivedAt: Date())
            guard
                case .accepted(let joined, _) = try await inbox.ingest(
                    second, decode: { _ in mail("b@example.com", subject: "Order 1001", references: ["a@example.com"]) })
            else {
                Issue.record("the reply was not processed")
                return
            }
            #expect(joined.conversationID == opened.conversationID, "the reply joins the thread")
        }
        let updates = try await EventStore(database: test.database).events(after: 0, types: ["conversation.updated"], limit: 10)
        #expect(updates.events.count == 1)
        #expect(updates.events.first?.data.contains("\"subject\":\"Order 1001\"") == true)
    }
}
