import Foundation
import GRDB
import HubCore

/// Applies decoded inbound events to the database inside the caller's transaction:
/// resolves the sender to a customer, finds the conversation, stores the message,
/// its timeline event and its search entry.
enum InboundApplier {
    struct Applied {
        var customerID: CustomerID?
        var conversationID: ConversationID?
        var messages: [MessageView] = []
        var orders = OrderChanges()
    }

    /// - Parameter inboxID: the delivery the events came from, recorded on the events they log.
    static func apply(
        _ events: [InboundEvent], channelID: ChannelID, policy: IdentityPolicy, workflow: WorkflowPolicy = WorkflowPolicy(), now: Date,
        inboxID: Int64? = nil, in db: Database
    ) throws -> Applied {
        var applied = Applied()
        for event in events {
            switch event {
            case .message(let message):
                let keys = policy.normaliser.keys(for: message.identities, senderName: message.senderName)
                let customer = try IdentityGraph.resolve(
                    keys: keys, name: message.senderName, channelID: channelID, policy: policy, now: now, in: db)
                var conversationID: ConversationID
                if let mail = message.mailThreading,
                    let continued = try MailThreader.conversation(for: mail, channelID: channelID, customerRoot: customer.root, in: db)
                {
                    conversationID = continued
                    try db.cachedStatement(sql: "UPDATE conversation SET last_message_at = MAX(last_message_at, ?) WHERE id = ?")
                        .execute(arguments: [StoredDate(message.sentAt), continued])
                    // A thread started without a subject (a chat, a subject-less mail) takes the first one it gets.
                    if !mail.subject.isEmpty {
                        try db.cachedStatement(
                            sql: "UPDATE conversation SET subject = ? WHERE id = ? AND (subject IS NULL OR subject = '')"
                        )
                        .execute(arguments: [mail.subject, continued])
                        if db.changesCount > 0 {
                            try EventLog.appendConversation(.conversationUpdated, conversationID: continued, at: now, in: db)
                        }
                    }
                } else {
                    conversationID = try conversation(
                        channelID: channelID, threadKey: message.threadKey, customerID: customer.home, at: message.sentAt,
                        subject: message.mailThreading?.subject, status: workflow.startStatus(channelID: channelID, at: now), now: now,
                        in: db)
                }
                // A resolved conversation reopens, a snoozed one wakes, a closed one gives way to a new one.
                let facts: MetricFacts.CustomerMessage?
                (conversationID, facts) = try ConversationWorkflow.customerWrote(
                    conversationID: conversationID, text: message.parts.map(\.plainText).joined(separator: " "), at: message.sentAt,
                    policy: workflow, now: now, in: db)
                var record = try MessageRecord(
                    conversationID: conversationID, channelID: channelID, direction: .inbound,
                    author: Author(role: .customer, name: message.senderName), parts: message.parts, status: .received,
                    providerMessageID: message.providerMessageID, createdAt: message.sentAt)
                record.subject = message.mailThreading?.subject
                try record.insertFast(db)
                try MetricFacts.customerMessage(conversationID, known: facts, at: message.sentAt, in: db)
                let view = record.view(parts: message.parts)
                if let mail = message.mailThreading {
                    try MailThreader.record(mail, messageID: view.id, conversationID: conversationID, in: db)
                }
                try recordOnTimeline(view, customerID: customer.home, in: db)
                try ContactLedger.customerWrote(
                    channelID: channelID, threadKey: message.threadKey, at: message.sentAt, now: now, in: db)
                try EventLog.append(
                    .messageReceived, json: EventLog.messageJSON(record, text: view.text, customer: customer.root), at: now,
                    inboxID: inboxID, in: db)
                applied.customerID = customer.root
                applied.conversationID = conversationID
                applied.messages.append(view)
            case .activity(let activity):
                let keys = policy.normaliser.keys(for: activity.identities, senderName: activity.senderName)
                let customer = try IdentityGraph.resolve(
                    keys: keys, name: activity.senderName, channelID: channelID, policy: policy, now: now, in: db)
                let conversationID = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT id FROM conversation WHERE channel_id = ? AND thread_key = ? AND current = 1"),
                    arguments: [channelID, activity.threadKey])
                try addTimelineEvent(
                    customerID: customer.home, channelID: channelID, kind: activity.kind, at: activity.occurredAt,
                    conversationID: conversationID, summary: activity.summary, in: db)
                if activity.opensReplyWindow {
                    try ContactLedger.customerActed(
                        channelID: channelID, threadKey: activity.threadKey, at: activity.occurredAt, now: now, in: db)
                }
                applied.customerID = customer.root
            case .deliveryReport(let report):
                try DeliveryReports.record(report, channelID: channelID, now: now, in: db)
            case .contactPreference(let change):
                try ContactLedger.setPreference(channelID: channelID, change: change, now: now, in: db)
            case .order(let order):
                let keys = policy.normaliser.keys(for: order.customerIdentities, senderName: order.customerName)
                let customer = try IdentityGraph.resolve(
                    keys: keys, name: order.customerName, channelID: channelID, policy: policy, now: now, in: db)
                switch try OrderLedger.apply(order, channelID: channelID, customerID: customer.home, now: now, inboxID: inboxID, in: db) {
                case .created: applied.orders.created += 1
                case .updated: applied.orders.updated += 1
                case .unchanged: applied.orders.unchanged += 1
                }
                applied.customerID = customer.root
            case .fulfillment(let fulfillment):
                try OrderLedger.apply(fulfillment, channelID: channelID, now: now, in: db)
            case .tracking(let update):
                try TrackingLedger.apply(update, channelID: channelID, now: now, in: db)
            case .shopCustomer(let record):
                let keys = policy.normaliser.keys(for: record.identities, senderName: record.name)
                applied.customerID =
                    try IdentityGraph.resolve(keys: keys, name: record.name, channelID: channelID, policy: policy, now: now, in: db).root
            }
        }
        return applied
    }

    /// The conversation of a thread, started (and logged as opened) when the thread is new.
    static func conversation(
        channelID: ChannelID, threadKey: String, customerID: CustomerID, at time: Date, subject: String? = nil,
        status: @autoclosure () -> ConversationStatus = .queued, now: Date, in db: Database
    ) throws -> ConversationID {
        let find = try db.cachedStatement(sql: "SELECT id FROM conversation WHERE channel_id = ? AND thread_key = ? AND current = 1")
        if let existing = try Int64.fetchOne(find, arguments: [channelID, threadKey]) {
            try db.cachedStatement(sql: "UPDATE conversation SET last_message_at = MAX(last_message_at, ?) WHERE id = ?")
                .execute(arguments: [StoredDate(time), existing])
            return existing
        }
        let startStatus = status()
        var record = ConversationRecord(
            customerId: customerID, channelId: channelID, threadKey: threadKey, status: startStatus.rawValue, createdAt: time,
            lastMessageAt: time, subject: subject, queuedAt: now)
        try record.insert(db)
        guard let id = record.id else { throw DatabaseError(message: "conversation insert returned no id") }
        try MetricFacts.conversationOpened(id, status: startStatus, at: time, in: db)
        try EventLog.append(.conversationOpened, json: EventLog.conversationJSON(try record.summary(in: db)), at: now, in: db)
        return id
    }

    /// Adds a non-message event (an activity, an order change, a shipment) to a customer's timeline.
    static func addTimelineEvent(
        customerID: CustomerID, channelID: ChannelID, kind: String, at time: Date, conversationID: ConversationID? = nil,
        summary: String, in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO timeline_event (customer_id, root_id, channel_id, kind, occurred_at_ms, conversation_id, summary)
                VALUES (?1, (SELECT root_id FROM customer WHERE id = ?1), ?2, ?3, ?4, ?5, ?6)
                """
        ).execute(arguments: [
            customerID, channelID, kind, time.epochMilliseconds, conversationID, String(summary.prefix(280)),
        ])
    }

    /// Adds a message to the timeline of its home customer (shown under that customer's
    /// current root) and to the search index.
    static func recordOnTimeline(_ message: MessageView, customerID: CustomerID, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO timeline_event (customer_id, root_id, channel_id, kind, occurred_at_ms, conversation_id, message_id, summary)
                VALUES (?1, (SELECT root_id FROM customer WHERE id = ?1), ?2, 'message', ?3, ?4, ?5, ?6)
                """
        ).execute(arguments: [
            customerID, message.channelID, message.createdAt.epochMilliseconds, message.conversationID,
            message.id, String(message.text.prefix(280)),
        ])
        try db.cachedStatement(sql: "INSERT INTO message_fts (rowid, body) VALUES (?, ?)")
            .execute(arguments: [message.id, SearchText.indexable(message.text)])
    }
}
