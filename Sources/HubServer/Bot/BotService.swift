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
    /// The shop channels, by id, that can cancel and readdress orders.
    let shops: [ChannelID: any OrderActionAdapter]
    let capabilities: [ChannelID: ChannelCapabilities]
    let logger: Logger
    let tick: Duration
    /// Asked to send what a turn queued.
    let sendsQueued: @Sendable () -> Void

    init(
        store: BotStore, engine: BotEngine, shops: [ChannelID: any OrderActionAdapter], capabilities: [ChannelID: ChannelCapabilities],
        logger: Logger, tick: Duration, sendsQueued: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.engine = engine
        self.shops = shops
        self.capabilities = capabilities
        self.logger = logger
        self.tick = tick
        self.sendsQueued = sendsQueued
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let rings = self.store.bell.rings
                do {
                    while try await self.step() {}
                } catch {
                    self.logger.error("the bot cannot read the event log", metadata: ["error": "\(error)"])
                }
                await self.store.bell.wait(after: rings, timeout: self.tick)
            }
        }
    }

    /// Answers one page of analysed messages; returns whether there may be more.
    func step() async throws -> Bool {
        let page = try await store.pending(limit: 64)
        guard page.next > page.from else { return false }
        for turn in page.turns {
            guard let channel = engine.channels[turn.channelID] else { continue }
            do {
                try await answer(turn, channel: channel)
            } catch {
                // One turn that cannot be stored must not stop the others; it is logged and left.
                logger.error("bot turn failed", metadata: ["message": "\(turn.messageID)", "error": "\(error)"])
            }
        }
        try await store.commit(through: page.next, now: Date())
        return true
    }

    func answer(_ pending: BotPendingTurn, channel: BotChannel) async throws {
        guard let context = try await store.context(messageID: pending.messageID), !context.decided, context.status == .bot else { return }
        let now = Date()
        let request = engine.request(for: context, channel: channel, now: now)
        let capabilities = capabilities
        if let unfinished = context.unfinishedAction {
            // The shop was called and the hub stopped before the answer: say nothing invented, hand off.
            var turn = await engine.decide(request)
            turn.decision.reply = []
            turn.decision.handoff = .actionFailed
            turn.decision.summary = "Bot hand-off: the hub restarted while an action ran at the shop (\(unfinished)); check the order.\n"
                + (turn.decision.summary ?? "")
            var record = BotEngine.record(turn, context: context)
            record.actionJSON = unfinished
            record.actionOutcome = "unknown: the hub stopped before the shop's answer was stored"
            _ = try await store.record(record, cursor: nil, capabilities: { capabilities[$0] }, now: now)
            sendsQueued()
            return
        }
        var turn = await engine.decide(request)
        var record: BotTurnRecord
        if let action = turn.decision.action {
            let actionJSON = BotEngine.actionJSON(action)
            guard
                try await store.beginAction(
                    messageID: context.messageID, conversationID: context.conversationID, intent: turn.decision.intent,
                    actionJSON: actionJSON, stateJSON: BotEngine.json(turn.decision.state), now: now)
            else { return }
            let failure = await perform(action)
            var after = request
            after.state = turn.decision.state
            turn = await engine.afterAction(after, action: action, failure: failure)
            record = BotEngine.record(turn, context: context)
            record.actionJSON = actionJSON
            record.actionOutcome = failure.map { "failed: \($0)" } ?? "done"
            record.actionSummary =
                failure.map { "Bot could not \(action.kind == .cancel ? "cancel" : "readdress") order \(action.order.name): \($0)" }
                ?? (action.kind == .cancel
                    ? "Bot cancelled order \(action.order.name) at the customer's request"
                    : "Bot changed the delivery address of order \(action.order.name) at the customer's request")
            logger.info(
                "bot action", metadata: ["action": "\(action.kind.rawValue)", "order": "\(action.order.name)", "ok": "\(failure == nil)"])
        } else {
            record = BotEngine.record(turn, context: context)
        }
        let stored = try await store.record(record, cursor: nil, capabilities: { capabilities[$0] }, now: Date())
        if let refused = stored.refused {
            logger.notice("bot reply refused by the channel", metadata: ["conversation": "\(context.conversationID)", "reason": "\(refused)"])
        }
        if turn.decision.handoff != nil {
            logger.info(
                "bot hand-off", metadata: ["conversation": "\(context.conversationID)", "reason": "\(turn.decision.handoff!.rawValue)"])
        }
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
