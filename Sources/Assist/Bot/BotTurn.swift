package import Foundation
package import HubCore

/// How a channel wants its replies.
package enum ReplyStyle: String, Sendable, Hashable {
    /// Chat-like text.
    case text
    /// Short text for SMS: few segments.
    case short
    /// A full, polite e-mail body.
    case mail
    /// Text plus rich parts (order cards) for web chat.
    case rich
}

/// Why the bot handed the conversation to people.
package enum HandoffReason: String, Sendable, Hashable, Codable {
    /// The customer asked for a person.
    case requested
    /// The customer is angry.
    case angry
    /// Too many turns in a row the bot could not understand or answer.
    case failedTurns = "failed_turns"
    /// The knowledge base does not answer the question.
    case unanswerable
    /// The shop refused an action or could not be reached.
    case actionFailed = "action_failed"
    /// The customer carries a label that goes straight to people (VIP).
    case label
    /// The manifest sends this intent straight to people.
    case intent
    /// The customer writes in a language the bot does not answer in.
    case language
    /// The reply would have said something the data does not support.
    case grounding
}

/// One customer turn for the bot to answer.
package struct BotRequest: Sendable {
    package var text: String
    /// Assist's reading of the turn; `nil` when it has none (treated as low confidence).
    package var analysis: MessageAnalysis?
    package var state: BotState
    /// The customer's orders across merged identities, newest first.
    package var orders: [BotOrder]
    /// What the bot said last in this conversation, as sent (the customer answers it).
    package var lastBotText: String?
    /// The customer's earlier words in this conversation, oldest first (grounding accepts facts from them).
    package var earlierCustomerTexts: [String]
    /// The conversation's labels (a VIP label hands off).
    package var labels: [String]
    package var now: Date
    package var style: ReplyStyle
    package var settings: BotSettings
    /// Below this intent confidence a turn counts as not understood.
    package var minConfidence: Double

    package init(
        text: String, analysis: MessageAnalysis?, state: BotState = BotState(), orders: [BotOrder], lastBotText: String? = nil,
        earlierCustomerTexts: [String] = [], labels: [String] = [], now: Date, style: ReplyStyle = .text,
        settings: BotSettings = BotSettings(), minConfidence: Double = 0.3
    ) {
        self.text = text
        self.analysis = analysis
        self.state = state
        self.orders = orders
        self.lastBotText = lastBotText
        self.earlierCustomerTexts = earlierCustomerTexts
        self.labels = labels
        self.now = now
        self.style = style
        self.settings = settings
        self.minConfidence = minConfidence
    }
}

/// An article an answer came from.
package struct KnowledgeCitation: Sendable, Hashable, Codable {
    package var id: String
    package var version: Int
    package var title: String

    package init(id: String, version: Int, title: String) {
        self.id = id
        self.version = version
        self.title = title
    }
}

/// An action the bot takes now at the shop (the customer confirmed it).
package struct BotActionRequest: Sendable, Hashable {
    package var kind: OrderActionKind
    package var order: BotOrder
    package var address: String?

    package init(kind: OrderActionKind, order: BotOrder, address: String? = nil) {
        self.kind = kind
        self.order = order
        self.address = address
    }
}

/// What the bot does with a turn.
package struct BotDecision: Sendable {
    /// What the customer is sent; empty when the bot has nothing to say yet (an action runs first).
    package var reply: [MessagePart]
    /// The intent the bot acted on (a follow-up keeps the intent of the question it answers).
    package var intent: String
    package var handoff: HandoffReason?
    /// An action to run at the shop before answering; its outcome gives the reply (``BotPolicy/afterAction``).
    package var action: BotActionRequest?
    package var state: BotState
    package var citations: [KnowledgeCitation]
    /// The orders the reply speaks about (names).
    package var orders: [String]
    package var grounding: GroundingReport
    /// For agents on a hand-off: what happened, in a few lines.
    package var summary: String?
    /// The text that would have been sent had grounding not stopped it.
    package var blockedReply: String?
    /// What grounding accepted facts from: the orders in question, the cited articles, the customer's words.
    package var sources: [String] = []

    package init(
        reply: [MessagePart], intent: String, handoff: HandoffReason? = nil, action: BotActionRequest? = nil, state: BotState,
        citations: [KnowledgeCitation] = [], orders: [String] = [], grounding: GroundingReport = GroundingReport(), summary: String? = nil
    ) {
        self.reply = reply
        self.intent = intent
        self.handoff = handoff
        self.action = action
        self.state = state
        self.citations = citations
        self.orders = orders
        self.grounding = grounding
        self.summary = summary
    }

    /// The reply as one text.
    package var text: String { reply.plainText }
}
