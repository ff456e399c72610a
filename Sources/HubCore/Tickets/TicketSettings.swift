/// A condition of a `tickets.auto_create` rule; every key given must hold.
package struct TicketRuleCondition: Sendable, Hashable {
    package var channels: [ChannelID] = []
    package var intents: [String] = []
    package var types: [TicketType] = []
    /// Whether the customer must (true) or must not (false) have an order on record.
    package var hasOrder: Bool?

    package init(channels: [ChannelID] = [], intents: [String] = [], types: [TicketType] = [], hasOrder: Bool? = nil) {
        self.channels = channels
        self.intents = intents
        self.types = types
        self.hasOrder = hasOrder
    }

    /// Whether the condition needs assist's reading of the message (so it is decided after analysis).
    package var needsAnalysis: Bool {
        !intents.isEmpty || !types.isEmpty
    }

    package func holds(channel: ChannelID, intent: String?, type: TicketType?, hasOrder: Bool) -> Bool {
        (channels.isEmpty || channels.contains(channel))
            && (intents.isEmpty || intent.map(intents.contains) == true)
            && (types.isEmpty || type.map(types.contains) == true)
            && (self.hasOrder == nil || self.hasOrder == hasOrder)
    }
}

/// A custom ticket field declared in the manifest.
package struct TicketField: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case text, number, boolean, date
        /// One of `options`.
        case choice
    }

    package var id: String
    package var kind: Kind
    package var options: [String]
    package var required: Bool

    package init(id: String, kind: Kind = .text, options: [String] = [], required: Bool = false) {
        self.id = id
        self.kind = kind
        self.options = options
        self.required = required
    }
}

/// The manifest's `tickets:` and `sla:`: when tickets are made on their own, their custom
/// fields, the satisfaction survey, auto-closing, and the service levels.
package struct TicketSettings: Sendable, Hashable {
    /// Rules that open a ticket for a customer message; the first that holds does.
    package var autoCreate: [TicketRuleCondition] = []
    /// Whether the bot's hand-off opens a ticket.
    package var onBotHandoff = true
    package var fields: [TicketField] = []
    /// How long a solved ticket waits for the customer before it closes.
    package var closeAfter: Duration = .seconds(4 * 86_400)
    /// Whether solving a ticket sends the customer a satisfaction survey.
    package var survey = true
    /// How long after solving a survey answer is still taken.
    package var surveyWindow: Duration = .seconds(7 * 86_400)
    /// Service levels, the first matching applies.
    package var policies: [SLAPolicy] = []
    /// How often the SLA service looks for due warnings, breaches and follow-ups.
    package var tick: Duration = .seconds(1)

    package init() {}

    /// The first policy matching the ticket.
    package func policy(priority: ConversationPriority, type: TicketType?, channel: ChannelID?, labels: Set<String>) -> SLAPolicy? {
        policies.first { $0.match.matches(priority: priority, type: type, channel: channel, labels: labels) }
    }
}
