import Assist
import Foundation
import HubCore

/// Plays a dialogue's turns through the bot policy as written: each customer turn is
/// decided with the state the earlier ones left, and an earlier bot turn replaces what the bot
/// would have said (the customer answered that). Nothing is stored, sent or run.
struct BotReplay: Sendable {
    let engine: BotEngine
    let channel: BotChannel

    struct Spoken: Sendable {
        var role: String
        var text: String
    }

    /// The decision on the last customer turn of `turns`; `nil` when there is none.
    func lastDecision(
        _ turns: [Spoken], orders: [BotOrder], labels: [String] = [], now: Date, analyze: (String) async -> MessageAnalysis?
    ) async -> BotEngine.Turn? {
        var state = BotState()
        var lastBot: String?
        var earlier: [String] = []
        var result: BotEngine.Turn?
        for (index, spoken) in turns.enumerated() {
            guard spoken.role == "customer" else {
                lastBot = spoken.text
                continue
            }
            let request = BotRequest(
                text: spoken.text, analysis: await analyze(spoken.text), state: state, orders: orders, lastBotText: lastBot,
                earlierCustomerTexts: Array(earlier.suffix(5)), labels: labels, now: now, style: channel.style,
                settings: channel.settings, minConfidence: engine.minConfidence)
            let turn = await engine.preview(request)
            result = turn
            state = turn.decision.state
            earlier.append(spoken.text)
            let nextIsBot = index + 1 < turns.count && turns[index + 1].role != "customer"
            if !nextIsBot { lastBot = turn.decision.text }
        }
        return result
    }
}
