import Assist
import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `POST /api/v1/assist/preview`: what the bot would say to a conversation (or to turns
/// written by hand for a customer), its intent, its hand-off decision and its grounding,
/// without sending, storing or running anything.
struct BotController: Sendable {
    let engine: BotEngine?
    let assist: AssistEngine?
    let store: BotStore
    let orders: OrderStore
    let channelKinds: [ChannelID: String]
    let work: WorkController
    let maxBodyBytes: Int

    struct PreviewBody: Decodable {
        var conversation: Int64?
        var turns: [Turn]?
        var customer: Int64?
        /// The channel whose bot settings and reply form to use with `turns`.
        var channel: String?

        struct Turn: Decodable {
            var role: String
            var text: String
        }
    }

    struct PreviewAnswer: ResponseEncodable {
        var reply: String
        var parts: [MessagePart]
        var intent: String
        var handoff: Bool
        var handoffReason: String?
        var summary: String?
        var action: ActionAnswer?
        var grounding: GroundingAnswer
        var citations: [KnowledgeCitation]
        var orders: [String]
        var phrasing: String
        var language: String?

        struct ActionAnswer: Encodable {
            var kind: String
            var order: String
            var address: String?
        }

        struct GroundingAnswer: Encodable {
            var passed: Bool
            var facts: [String]
            var unsupported: [String]
            var blockedReply: String?

            enum CodingKeys: String, CodingKey {
                case passed, facts, unsupported
                case blockedReply = "blocked_reply"
            }
        }

        enum CodingKeys: String, CodingKey {
            case reply, parts, intent, handoff, summary, action, grounding, citations, orders, phrasing, language
            case handoffReason = "handoff_reason"
        }

        init(_ turn: BotEngine.Turn) {
            let decision = turn.decision
            reply = decision.text
            parts = decision.reply
            intent = decision.intent
            handoff = decision.handoff != nil
            handoffReason = decision.handoff?.rawValue
            summary = decision.summary
            action = decision.action.map { ActionAnswer(kind: $0.kind.rawValue, order: $0.order.name, address: $0.address) }
            grounding = GroundingAnswer(
                passed: decision.grounding.passed, facts: decision.grounding.facts, unsupported: decision.grounding.unsupported,
                blockedReply: decision.blockedReply)
            citations = decision.citations
            orders = decision.orders
            phrasing = turn.phrasing
            language = decision.state.language
        }
    }

    static let maxTurns = 50
    static let maxTurnLength = 4_000

    static let example = #"{"conversation": 12} or {"customer": 3, "turns": [{"role": "customer", "text": "where is my parcel?"}]}"#

    func preview(_ request: Request, context: HubRequestContext) async throws -> PreviewAnswer {
        guard let engine else {
            throw HubError.conflict("assist_disabled", "the bot needs assist: enable it in the manifest (assist: { enabled: true })")
        }
        let body = try await request.decodeJSON(PreviewBody.self, limit: maxBodyBytes, example: Self.example)
        let now = Date()
        if let id = body.conversation {
            _ = try await work.visibleItem(id, context: context)
            guard let turnContext = try await store.context(conversationID: id) else {
                throw HubError.conflict("no_customer_message", "the conversation has no message from the customer to answer")
            }
            let channel = channel(turnContext.channelID)
            return PreviewAnswer(await engine.preview(engine.request(for: turnContext, channel: channel, now: now)))
        }
        guard let turns = body.turns, !turns.isEmpty else {
            throw HubError.badRequest("missing_field", "send either conversation, or turns with a customer")
        }
        guard turns.allSatisfy({ ["customer", "bot", "agent"].contains($0.role) }), turns.contains(where: { $0.role == "customer" }) else {
            throw HubError.badRequest("invalid_turns", "turns[].role is customer, bot or agent, and one turn at least is the customer's")
        }
        guard turns.count <= Self.maxTurns, turns.allSatisfy({ $0.text.unicodeScalars.count <= Self.maxTurnLength }) else {
            throw HubError.badRequest(
                "invalid_turns", "at most \(Self.maxTurns) turns of at most \(Self.maxTurnLength) characters each")
        }
        var orders: [BotOrder] = []
        if let customer = body.customer {
            guard let found = try await self.orders.orders(customerID: customer, limit: 20) else {
                throw HubError.notFound("unknown_customer", "no customer with that id")
            }
            orders = found.orders.map(BotOrder.init)
        }
        let assist = assist
        let replay = BotReplay(engine: engine, channel: channel(body.channel ?? ""))
        guard
            let turn = await replay.lastDecision(
                turns.map { BotReplay.Spoken(role: $0.role, text: $0.text) }, orders: orders, now: now,
                analyze: { await assist?.analyze($0) })
        else { throw HubError.badRequest("invalid_turns", "no customer turn to answer") }
        return PreviewAnswer(turn)
    }

    /// The channel's bot, or the default bot in that channel's reply form (a preview of a channel without one).
    func channel(_ id: ChannelID) -> BotChannel {
        engine?.channels[id] ?? BotChannel(settings: BotSettings(), style: BotChannel.style(forKind: channelKinds[id] ?? ""))
    }
}
