import Assist
import Foundation
import HubCore
import HubStorage

/// A channel the bot answers on: its settings and the form its replies take there.
struct BotChannel: Sendable {
    var settings: BotSettings
    var style: ReplyStyle

    /// The reply form a channel kind wants: short for SMS, a full mail, rich parts on web chat.
    static func style(forKind kind: String) -> ReplyStyle {
        switch kind {
        case "sms": .short
        case "email": .mail
        case "webchat": .rich
        default: .text
        }
    }
}

/// The bot as the hub runs it: builds the policy's request from a turn's stored context,
/// decides with the current knowledge base, and lets a language model phrase the answer when
/// one is configured (its output passes the same grounding guard, or the template is sent).
struct BotEngine: Sendable {
    /// The published knowledge base as it is now.
    let knowledge: @Sendable () async -> BotKnowledge
    let channels: [ChannelID: BotChannel]
    let minConfidence: Double
    let phraser: BotPhraser?

    /// One decided turn.
    struct Turn: Sendable {
        var request: BotRequest
        var decision: BotDecision
        /// `llm` when a language model phrased the reply, else `template`.
        var phrasing: String
    }

    func request(for context: BotTurnContext, channel: BotChannel, now: Date) -> BotRequest {
        BotRequest(
            text: context.text, analysis: context.analysis, state: Self.state(from: context.stateJSON),
            orders: context.orders.map(BotOrder.init), lastBotText: context.lastBotText,
            earlierCustomerTexts: context.earlierCustomerTexts, labels: context.labels, now: now, style: channel.style,
            settings: channel.settings, minConfidence: minConfidence)
    }

    func decide(_ request: BotRequest) async -> Turn {
        let policy = BotPolicy(knowledge: await knowledge())
        return await phrased(Turn(request: request, decision: policy.decide(request), phrasing: "template"))
    }

    /// Overloaded: a short holding answer in the customer's language, with no action, no hand-off
    /// and no language model, and the conversation's state left as it was, so that the question
    /// is answered in full once the customer writes again and the hub has caught up.
    func holding(_ request: BotRequest) async -> Turn {
        var decision = BotPolicy(knowledge: await knowledge()).decide(request)
        let language = decision.state.language ?? request.state.language ?? "zh"
        decision.reply = [.text(Self.holdingText(language: language))]
        decision.action = nil
        decision.handoff = nil
        decision.summary = nil
        decision.citations = []
        decision.orders = []
        decision.sources = []
        decision.state = request.state
        decision.state.language = language
        return Turn(request: request, decision: decision, phrasing: "holding")
    }

    static func holdingText(language: String) -> String {
        language == "en"
            ? "Thanks, we have your message. We are busier than usual right now and will answer as soon as we can."
            : "您的消息已收到。目前咨询较多，我们会尽快回复您，请稍候。"
    }

    /// The answer once the shop ran (or refused) the action `turn` decided on, from the state that turn left.
    func afterAction(_ turn: Turn, action: BotActionRequest, failure: String?) async -> Turn {
        var request = turn.request
        request.state = turn.decision.state
        let policy = BotPolicy(knowledge: await knowledge())
        return await phrased(
            Turn(request: request, decision: policy.afterAction(request, action: action, failure: failure), phrasing: "template"))
    }

    /// What the bot would say, without running anything: for a confirmed action, the answer once
    /// the shop did it, with the action it would run.
    func preview(_ request: BotRequest) async -> Turn {
        let turn = await decide(request)
        guard let action = turn.decision.action else { return turn }
        var answered = await afterAction(turn, action: action, failure: nil)
        answered.decision.action = action
        return answered
    }

    /// The model's wording when it keeps every fact grounded; hand-offs and questions keep the template.
    func phrased(_ turn: Turn) async -> Turn {
        guard let phraser, turn.decision.handoff == nil, turn.decision.action == nil, turn.decision.state.pending == nil,
            turn.decision.state.pick == nil, case .text(let template)? = turn.decision.reply.first
        else { return turn }
        let language = turn.decision.state.language ?? "zh"
        guard let wording = await phraser.phrase(template, language: language, question: turn.request.text) else { return turn }
        let check = GroundingGuard.check(wording, sources: turn.decision.sources)
        guard check.passed else { return turn }
        var result = turn
        result.decision.reply[0] = .text(wording)
        result.decision.grounding = check
        result.phrasing = "llm"
        return result
    }

    static func state(from json: String?) -> BotState {
        guard let json, let state = try? JSONDecoder().decode(BotState.self, from: Data(json.utf8)) else { return BotState() }
        return state
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The stored form of a decided turn.
    static func record(_ turn: Turn, context: BotTurnContext) -> BotTurnRecord {
        let decision = turn.decision
        return BotTurnRecord(
            messageID: context.messageID, conversationID: context.conversationID, intent: decision.intent,
            handoff: decision.handoff?.rawValue, summary: decision.summary, reply: decision.reply, stateJSON: json(decision.state),
            citationsJSON: json(decision.citations), groundingJSON: json(decision.grounding), phrasing: turn.phrasing,
            raisePriority: decision.handoff == .angry)
    }

    /// An action as stored with its turn.
    static func actionJSON(_ action: BotActionRequest) -> String {
        var object = ["kind": action.kind.rawValue, "order": action.order.id, "name": action.order.name]
        if let address = action.address { object["address"] = address }
        return json(object)
    }
}
