import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

/// Delivery reports, reply windows and opt-outs as the stores apply them.
@Suite struct SignedChannelStorageTests {
    static func events(_ events: [InboundEvent]) -> InboundDecoder {
        { _ in events }
    }

    static func envelope(_ key: String, at date: Date = Date()) -> InboxEnvelope {
        InboxEnvelope(channelID: "sms", dedupeKey: key, contentType: nil, payload: Array(key.utf8), receivedAt: date)
    }

    static func message(from phone: String, at date: Date) -> InboundEvent {
        .message(
            InboundMessage(
                providerMessageID: UUID().uuidString, threadKey: phone,
                identities: [IdentityHint(kind: .phone, value: phone, verified: true)],
                senderName: nil, parts: [.text("hi")], sentAt: date))
    }

    static func report(_ sid: String, _ status: DeliveryStatus, _ word: String, rank: Int) -> InboundEvent {
        .deliveryReport(DeliveryReport(providerMessageID: sid, status: status, providerStatus: word, rank: rank, reportedAt: Date()))
    }

    @Test func aStatusCallbackBeforeTheSendResponseIsAppliedWhenTheSendIsRecorded() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let outbox = OutboxStore(database: test.database, writer: writer)
            guard
                case .accepted(let result, _) = try await inbox.ingest(
                    Self.envelope("m1"), decode: Self.events([Self.message(from: "+14155550123", at: Date())])),
                let conversation = result.conversationID
            else { throw StorageFailure("ingest") }
            _ = try await outbox.enqueueReply(
                conversationID: conversation, parts: [.text("shipped")], author: Author(role: .agent), capabilities: { _ in nil },
                now: Date())
            let job = try #require(try await outbox.claimDue(now: Date(), limit: 1).first)
            // Twilio's "delivered" callback beats the API response that names the sid.
            _ = try await inbox.ingest(Self.envelope("s1"), decode: Self.events([Self.report("SM1", .delivered, "delivered", rank: 4)]))
            let recorded = try await outbox.recordSent(job, receipt: SendReceipt(providerMessageID: "SM1", status: .sent), now: Date())
            #expect(recorded.status == .delivered)
            #expect(recorded.deliveryDetail == "delivered")
            // Late and repeated callbacks never move it back.
            _ = try await inbox.ingest(Self.envelope("s2"), decode: Self.events([Self.report("SM1", .sent, "sent", rank: 3)]))
            _ = try await inbox.ingest(Self.envelope("s3"), decode: Self.events([Self.report("SM1", .failed, "undelivered", rank: 4)]))
            let status = try await test.database.writer.read { db in
                try Row.fetchOne(db, sql: "SELECT status, delivery_detail FROM message WHERE provider_message_id = 'SM1'")
            }
            #expect(status?["status"] == "delivered")
            #expect(status?["delivery_detail"] == "delivered")
            _ = try await inbox.ingest(Self.envelope("s4"), decode: Self.events([Self.report("SM1", .read, "read", rank: 5)]))
            let read = try await test.database.writer.read { db in
                try String.fetchOne(db, sql: "SELECT status FROM message WHERE provider_message_id = 'SM1'")
            }
            #expect(read == "read")
        }
    }

    @Test func optOutAndReplyWindowAreEnforcedWhenAReplyIsQueued() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let capabilities = ChannelCapabilities(
            partKinds: [.text], replyWindow: ReplyWindow(afterMessage: ReplyAllowance(duration: .seconds(3600), quota: 2)),
            honoursOptOut: true)
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let outbox = OutboxStore(database: test.database, writer: writer)
            guard
                case .accepted(let result, _) = try await inbox.ingest(
                    Self.envelope("m1"), decode: Self.events([Self.message(from: "+14155550123", at: Date())])),
                let conversation = result.conversationID
            else { throw StorageFailure("ingest") }
            func queue() async -> String? {
                do {
                    _ = try await outbox.enqueueReply(
                        conversationID: conversation, parts: [.text("x")], author: Author(role: .agent),
                        capabilities: { _ in capabilities },
                        now: Date())
                    return nil
                } catch let error as HubError {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }
            #expect(await queue() == nil)
            #expect(await queue() == nil)
            #expect(await queue() == "reply_quota_exhausted")
            // A new customer message opens the window again.
            _ = try await inbox.ingest(Self.envelope("m2"), decode: Self.events([Self.message(from: "+14155550123", at: Date())]))
            #expect(await queue() == nil)
            _ = try await inbox.ingest(
                Self.envelope("stop"),
                decode: Self.events([
                    .contactPreference(ContactPreferenceChange(threadKey: "+14155550123", optedOut: true, reason: "STOP", at: Date()))
                ]))
            #expect(await queue() == "recipient_opted_out")
            let pending = try await outbox.entries(state: .pending, limit: 10)
            #expect(pending.count == 3, "refused replies leave no message and no outbox entry")
        }
    }
}

struct StorageFailure: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
