/// The kinds of change the hub appends to its event log. Integrators filter on these
/// names (`/api/v1/events?types=…`, a manifest webhook's `events:`), so they are a contract.
package enum HubEventType: String, Sendable, CaseIterable, Codable {
    /// A customer's message was stored; carries the message, its customer and conversation.
    case messageReceived = "message.received"
    /// An agent's (later: the bot's) message was stored for delivery.
    case messageSent = "message.sent"
    /// An outbound message's delivery status changed (sent, delivered, read, failed).
    case messageStatus = "message.status"
    /// Assist read a customer's message: intent, confidence, tone, language, and the
    /// conversation's type.
    case messageAnalyzed = "message.analyzed"
    /// A conversation started.
    case conversationOpened = "conversation.opened"
    /// A conversation's header changed (its subject, later its status or assignee).
    case conversationUpdated = "conversation.updated"
    /// A conversation's assignee, team or queue changed: routed, offered, claimed, transferred,
    /// or given back to its queue.
    case conversationAssigned = "conversation.assigned"
    /// A conversation's status changed (queued, open, pending, snoozed, resolved, closed).
    case conversationStatus = "conversation.status"
    /// A private note was added to a conversation.
    case conversationNote = "conversation.note"
    /// An agent's presence changed (online, away, offline).
    case agentPresence = "agent.presence"
    /// A customer record was made for a sender seen for the first time.
    case customerCreated = "customer.created"
    /// Two customers became one (by a rule, an agent, an import).
    case customerMerged = "customer.merged"
    /// A merge was undone.
    case customerUnmerged = "customer.unmerged"
    /// An order was created or moved to a newer version.
    case orderUpserted = "order.upserted"
    /// A shipment changed: a fulfilment's status, or a parcel's scan.
    case shipmentUpdated = "shipment.updated"
    /// An outbound message was given up on.
    case outboxDeadLettered = "outbox.dead_lettered"
    /// The bot handed a conversation to people; carries why and the hand-off summary.
    case botHandoff = "bot.handoff"
    /// The bot changed an order at the shop (a cancellation, an address), or failed to.
    case botAction = "bot.action"
    /// A ticket was opened (by an agent, a manifest rule, the bot's hand-off); carries the ticket.
    case ticketCreated = "ticket.created"
    /// A ticket changed: carries the ticket and the changes, each `{field, old, new}`.
    case ticketUpdated = "ticket.updated"
    /// A ticket was merged into another; carries both numbers.
    case ticketMerged = "ticket.merged"
    /// A ticket's follow-up came due: it is back on its agent's list.
    case ticketFollowUp = "ticket.follow_up"
    /// The customer answered a ticket's satisfaction survey.
    case ticketSurvey = "ticket.survey"
    /// An SLA target of a ticket is about to be due; carries the ticket and the target.
    case slaWarning = "sla.warning"
    /// An SLA target of a ticket passed its due time unmet; carries the ticket and the target.
    case slaBreached = "sla.breached"
    /// An agent was notified (an SLA warning or breach, a follow-up).
    case notificationCreated = "notification.created"

    /// Whether `name` is a known type.
    package static func isKnown(_ name: String) -> Bool {
        HubEventType(rawValue: name) != nil
    }
}
