import Assist
import Foundation
import HubCore
import Logging
import Testing

@testable import HubServer

/// Overload: the policy's thresholds, the monitor's state as `/readyz` and the bot read it, and the
/// bot's holding answer, which runs nothing and keeps the conversation's state.
@Suite struct OverloadTests {
    @Test func theBacklogOrTheOldestEntrysWaitDegrades() {
        let policy = OverloadPolicy(backlog: 100, lagSeconds: 10)
        #expect(policy.assess(backlog: 99, lagSeconds: 9.9) == nil)
        #expect(policy.assess(backlog: 100, lagSeconds: 0) == "inbox backlog 100 at or over 100")
        #expect(policy.assess(backlog: 3, lagSeconds: 12.5) == "oldest inbox entry waiting 12 s, at or over 10 s")
    }

    @Test func theMonitorFollowsTheSamplesBothWays() async {
        let state = OverloadState()
        let samples = Samples()
        let monitor = OverloadMonitor(
            state: state, policy: OverloadPolicy(backlog: 10, lagSeconds: 60), logger: Logger(label: "test")
        ) { await samples.next() }
        await monitor.check()
        #expect(await state.reason == nil)
        await monitor.check()
        #expect(await state.reason == "inbox backlog 50 at or over 10")
        await monitor.check()
        #expect(await state.reason == nil)
    }

    @Test func theHoldingAnswerRunsNothingAndKeepsTheState() async {
        let engine = BotEngine(
            knowledge: { BotKnowledge(articles: [], threshold: 0.5) }, channels: [:], minConfidence: 0.5, phraser: nil)
        let lamp = BotOrder(
            id: "5002", name: "#22102", channelID: "shop", status: .awaitingShipment, items: ["Desk lamp"], total: "89.00",
            currency: "CNY", placed: Date())
        var state = BotState()
        state.language = "en"
        let analysis = MessageAnalysis(
            intent: "cancel_order", confidence: 0.95, top: [ScoredLabel(label: "cancel_order", probability: 0.95)], sentiment: "neutral",
            sentimentConfidence: 0.8, language: "en")
        let request = BotRequest(text: "yes, cancel #22102", analysis: analysis, state: state, orders: [lamp], now: Date())
        let turn = await engine.holding(request)
        #expect(turn.decision.action == nil && turn.decision.handoff == nil)
        #expect(turn.decision.reply == [.text(BotEngine.holdingText(language: "en"))])
        #expect(turn.decision.state.pending == request.state.pending && turn.phrasing == "holding")
        var chinese = request
        chinese.state.language = nil
        chinese.text = "我的快递到哪了"
        #expect(await engine.holding(chinese).decision.reply == [.text(BotEngine.holdingText(language: "zh"))])
    }

    actor Samples {
        private var values: [(Int, Double)] = [(0, 0), (50, 1), (2, 0.1)]
        func next() -> (backlog: Int, lagSeconds: Double) {
            values.removeFirst()
        }
    }
}
