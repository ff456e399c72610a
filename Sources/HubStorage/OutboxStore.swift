package import Foundation
import GRDB
package import HubCore

/// Outbound messages: a row before a request, retried until sent or given up on.
package struct OutboxStore: Sendable {
    let database: HubDatabase
    let writer: GroupCommitWriter

    package init(database: HubDatabase, writer: GroupCommitWriter) {
        self.database = database
        self.writer = writer
    }

    /// Stores an outbound message, its timeline event and its outbox entry in one
    /// transaction; `nil` when the conversation does not exist. With the
    /// channel's `capabilities`, refuses (throws a `409` ``HubError``) a reply the channel would
    /// reject: outside its reply window, over its quota, or to an opted-out customer.
    package func enqueueReply(
        conversationID: ConversationID, parts: [MessagePart], author: Author, agentID: Int64? = nil, cc: [String] = [],
        capabilities: @escaping @Sendable (ChannelID) -> ChannelCapabilities?, now: Date
    ) async throws -> QueuedReply? {
        try await writer.write { db -> QueuedReply? in
            try Self.enqueue(
                conversationID: conversationID, parts: parts, author: author, agentID: agentID, cc: cc, capabilities: capabilities,
                now: now, in: db)
        }
    }

    /// ``enqueueReply(conversationID:parts:author:agentID:capabilities:now:)`` inside the caller's transaction.
    static func enqueue(
        conversationID: ConversationID, parts: [MessagePart], author: Author, agentID: Int64?, cc: [String] = [],
        capabilities: (ChannelID) -> ChannelCapabilities?, now: Date, in db: Database
    ) throws -> QueuedReply? {
        guard let conversation = try ConversationRecord.fetchOne(db, key: conversationID) else { return nil }
        if let capabilities = capabilities(conversation.channelId) {
            // Checked and counted in the writer's transaction, so two agents replying at
            // once cannot both take the last reply of a window.
            let state = try ContactLedger.state(channelID: conversation.channelId, threadKey: conversation.threadKey, in: db)
            switch ReplyGate.check(state, capabilities: capabilities, channelID: conversation.channelId, now: now) {
            case .failure(let refusal): throw refusal
            case .success(let grant):
                try ContactLedger.countReply(
                    channelID: conversation.channelId, threadKey: conversation.threadKey, grant: grant, now: now, in: db)
            }
        }
        var message = try MessageRecord(
            conversationID: conversationID, channelID: conversation.channelId, direction: .outbound, author: author, parts: parts,
            status: .pending, providerMessageID: nil, createdAt: now)
        try message.insertFast(db)
        let view = message.view(parts: parts)
        try InboundApplier.recordOnTimeline(view, customerID: conversation.customerId, in: db)
        try db.execute(sql: "UPDATE conversation SET last_message_at = ? WHERE id = ?", arguments: [now, conversationID])
        var entry = OutboxRecord(
            messageId: view.id, channelId: conversation.channelId, state: .pending, attempts: 0, nextAttemptAt: now,
            idempotencyKey: "tributary-\(view.id)", cc: cc.isEmpty ? nil : cc.joined(separator: " "), createdAt: now, updatedAt: now)
        try entry.insert(db)
        try EventLog.append(
            .messageSent,
            json: EventLog.messageJSON(
                message, text: view.text,
                customer: try IdentityGraph.root(of: conversation.customerId, in: db) ?? conversation.customerId),
            at: now, in: db)
        // A notice from the hub itself (the customer's place in line) answers nothing.
        if author.role != .system {
            try MetricFacts.replied(conversationID, agentID: agentID, role: author.role, at: now, in: db)
            try ConversationWorkflow.agentReplied(conversationID: conversationID, agentID: agentID, now: now, in: db)
        }
        return QueuedReply(message: view, outboxID: entry.id!, customerID: conversation.customerId)
    }

    /// Claims entries due at `now` for an attempt.
    package func claimDue(now: Date, limit: Int) async throws -> [OutboxJob] {
        try await database.writer.write { db in
            let due = try OutboxRecord.all().due(at: now).limit(limit).fetchAll(db)
            return try due.compactMap { entry -> OutboxJob? in
                guard let id = entry.id, let message = try MessageRecord.fetchOne(db, key: entry.messageId),
                    let conversation = try ConversationRecord.fetchOne(db, key: message.conversationId)
                else { return nil }
                try db.execute(
                    sql: "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
                return OutboxJob(
                    outboxID: id, attempt: entry.attempts + 1, message: try message.view(), threadKey: conversation.threadKey,
                    idempotencyKey: entry.idempotencyKey,
                    mailContext: try MailThreader.replyContext(conversationID: message.conversationId, in: db).map { context in
                        var context = context
                        context.cc = entry.cc?.split(separator: " ").map(String.init) ?? []
                        return context
                    })
            }
        }
    }

    /// Records a successful attempt; returns the message with its new status.
    package func recordSent(_ job: OutboxJob, receipt: SendReceipt, now: Date) async throws -> MessageView {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'sent', last_error = NULL, updated_at = ? WHERE id = ?", arguments: [now, job.outboxID])
            guard var message = try MessageRecord.fetchOne(db, key: job.message.id) else { return job.message }
            message.status = message.status.advanced(to: receipt.status)
            message.providerMessageId = receipt.providerMessageID ?? message.providerMessageId
            message.updatedAt = now
            try message.update(db)
            try EventLog.appendMessage(.messageStatus, messageID: job.message.id, at: now, in: db)
            // A status callback can beat the send's own response; apply what it said.
            if let providerID = message.providerMessageId {
                try DeliveryReports.applyStored(channelID: message.channelId, providerMessageID: providerID, now: now, in: db)
                message = try MessageRecord.fetchOne(db, key: job.message.id) ?? message
            }
            return try message.view()
        }
    }

    /// Records a failed attempt: retried at `retryAt`, or dead-lettered when `nil`.
    package func recordFailure(_ job: OutboxJob, error: String, retryAt: Date?, now: Date) async throws {
        try await database.writer.write { db in
            if let retryAt {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                    arguments: [retryAt, error, now, job.outboxID])
            } else {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
                    arguments: [error, now, job.outboxID])
                try db.execute(
                    sql: """
                        UPDATE message SET status = 'failed', delivery_detail = ?, updated_at = ?
                        WHERE id = ? AND status IN ('pending', 'sent')
                        """,
                    arguments: [error, now, job.message.id])
                if db.changesCount > 0 { try EventLog.appendMessage(.messageStatus, messageID: job.message.id, at: now, in: db) }
                try EventLog.append(
                    .outboxDeadLettered,
                    DeadLetterEventData(
                        outbox: job.outboxID, message: job.message.id, channel: job.message.channelID,
                        conversation: job.message.conversationID, error: error), at: now, in: db)
            }
        }
    }

    /// Puts entries a crash left mid-attempt back in the queue; returns how many.
    package func requeueInterrupted() async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
            return db.changesCount
        }
    }

    /// Entries in `state` (all when `nil`), newest first.
    package func entries(state: OutboxState?, limit: Int) async throws -> [OutboxEntry] {
        try await database.writer.read { db in
            try OutboxRecord.all().inState(state).order(OutboxRecord.Columns.id.desc).limit(limit).fetchAll(db).map {
                OutboxEntry(
                    id: $0.id ?? 0, messageID: $0.messageId, channelID: $0.channelId, state: $0.state, attempts: $0.attempts,
                    nextAttemptAt: $0.nextAttemptAt, lastError: $0.lastError, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
            }
        }
    }

    /// When the earliest pending entry is due.
    package func nextAttemptDate() async throws -> Date? {
        try await database.writer.read { db in
            try Date.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'")
        }
    }
}
