import Assist
import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Follows `message.analyzed` and answers every customer message of a conversation the bot
/// holds: a grounded reply through the outbox, a question, an action at the shop after the
/// customer confirmed it, or a hand-off to routing's queue with a summary for the agent.
/// At-least-once like every consumer: a repeated turn finds its stored decision and does
/// nothing, and an action is stored as started before the shop is called, so a crash never
/// runs it twice.
final class BotService: Service, Sendable {
    let store: BotStore
    let engine: BotEngine
    /// Overloaded, every turn gets a short holding answer and no language model is called.
    let overload: OverloadState
    /// The shop channels, by id, that can cancel and readdress orders.
    let shops: [ChannelID: any OrderActionAdapter]
    let capabilities: [ChannelID: ChannelCapabilities]
    let logger: Logger
    let tick: Duration
    /// Asked to send what a turn queued.
    let sendsQueued: @Sendable () -> Void

    init(
        store: BotStore, engine: BotEngine, overload: OverloadState, shops: [ChannelID: any OrderActionAdapter],
        capabilities: [ChannelID: ChannelCapabilities],
        logger: Logger, tick: Duration, sendsQueued: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.engine = engine
        self.overload = overload
        self.shops = shops
        self.capabilities = capabilities
        self.logger = logger
        self.tick = tick
        self.sendsQueued = sendsQueued
    }

    func run() async throws {
        await EventFollower.follow(bell: store.bell, tick: tick, logger: logger, name: "the bot") { try await self.step() }
    }

    /// Answers one page of analysed messages; returns whether there may be more. Turns without
    /// an action are stored together, in one transaction (one commit for the page); a turn that
    /// runs an action at the shop is stored on its own around the call.
    func step() async throws -> Bool {
        let page = try await store.pending(limit: 64)
        guard page.next > page.from else { return false }
        let degraded = await overload.reason != nil
        var batch = Batch()
        for pending in page.turns {
            guard let channel = engine.channels[pending.channelID] else { continue }
            do {
                guard var context = try await store.context(messageID: pending.messageID) else { continue }
                // A second message of a conversation already in the batch needs the first one's state.
                if batch.conversations.contains(context.conversationID) {
                    try await flush(&batch)
                    guard let fresh = try await store.context(messageID: pending.messageID) else { continue }
                    context = fresh
                }
                guard !context.decided, context.status == .bot else { continue }
                let request = engine.request(for: context, channel: channel, now: Date())
                if let unfinished = context.unfinishedAction {
                    try await flush(&batch)
                    try await handOffUnfinished(context, request: request, action: unfinished)
                    continue
                }
                let turn = degraded ? await engine.holding(request) : await engine.decide(request)
                if let action = turn.decision.action {
                    try await flush(&batch)
                    try await run(action, turn: turn, context: context)
                    continue
                }
                batch.records.append(BotEngine.record(turn, context: context))
                batch.conversations.insert(context.conversationID)
                if let reason = turn.decision.handoff {
                    logger.info("bot hand-off", metadata: ["conversation": "\(context.conversationID)", "reason": "\(reason.rawValue)"])
                }
            } catch {
                // One turn that cannot be decided must not stop the others; it is logged and left.
                logger.error("bot turn failed", metadata: ["message": "\(pending.messageID)", "error": "\(error)"])
            }
        }
        try await flush(&batch, cursor: page.next)
        return true
    }

    /// Turns decided and waiting to be stored together.
    struct Batch {
        var records: [BotTurnRecord] = []
        var conversations: Set<ConversationID> = []
    }

    func flush(_ batch: inout Batch, cursor: Int64? = nil) async throws {
        defer { batch = Batch() }
        guard !batch.records.isEmpty || cursor != nil else { return }
        let capabilities = capabilities
        let stored = try await store.record(batch.records, cursor: cursor, capabilities: { capabilities[$0] }, now: Date())
        for (record, result) in zip(batch.records, stored) {
            if let refused = result.refused {
                logger.notice(
                    "bot reply refused by the channel", metadata: ["conversation": "\(record.conversationID)", "reason": "\(refused)"])
            }
        }
        if !batch.records.isEmpty { sendsQueued() }
    }

    /// The shop was called and the hub stopped before the answer was stored: nothing invented is said, people take over.
    func handOffUnfinished(_ context: BotTurnContext, request: BotRequest, action: String) async throws {
        var turn = await engine.decide(request)
        turn.decision.reply = []
        turn.decision.handoff = .actionFailed
        turn.decision.summary =
            "Bot hand-off: the hub restarted while an action ran at the shop (\(action)); check the order.\n"
            + (turn.decision.summary ?? "")
        var record = BotEngine.record(turn, context: context)
        record.actionJSON = action
        record.actionOutcome = "unknown: the hub stopped before the shop's answer was stored"
        let capabilities = capabilities
        _ = try await store.record(record, cursor: nil, capabilities: { capabilities[$0] }, now: Date())
        sendsQueued()
    }

    /// Stores the action as started, runs it at the shop, and stores the answer that follows.
    func run(_ action: BotActionRequest, turn: BotEngine.Turn, context: BotTurnContext) async throws {
        let actionJSON = BotEngine.actionJSON(action)
        guard
            try await store.beginAction(
                messageID: context.messageID, conversationID: context.conversationID, intent: turn.decision.intent,
                actionJSON: actionJSON, stateJSON: BotEngine.json(turn.decision.state), now: Date())
        else { return }
        let failure = await perform(action)
        let answered = await engine.afterAction(turn, action: action, failure: failure)
        var record = BotEngine.record(answered, context: context)
        record.actionJSON = actionJSON
        record.actionOutcome = failure.map { "failed: \($0)" } ?? "done"
        let verb = action.kind == .cancel ? "cancel" : "readdress"
        record.actionSummary =
            failure.map { "Bot could not \(verb) order \(action.order.name): \($0)" }
            ?? (action.kind == .cancel
                ? "Bot cancelled order \(action.order.name) at the customer's request"
                : "Bot changed the delivery address of order \(action.order.name) at the customer's request")
        logger.info(
            "bot action", metadata: ["action": "\(action.kind.rawValue)", "order": "\(action.order.name)", "ok": "\(failure == nil)"])
        let capabilities = capabilities
        _ = try await store.record(record, cursor: nil, capabilities: { capabilities[$0] }, now: Date())
        sendsQueued()
    }

    /// Runs an action at the order's shop; `nil` when it was done, else why not.
    func perform(_ action: BotActionRequest) async -> String? {
        guard let shop = shops[action.order.channelID] else { return "the order's shop channel cannot take actions" }
        do {
            switch action.kind {
            case .cancel: try await shop.cancelOrder(action.order.id)
            case .changeAddress: try await shop.changeShippingAddress(action.order.id, to: action.address ?? "")
            }
            return nil
        } catch {
            return error.message
        }
    }
}
