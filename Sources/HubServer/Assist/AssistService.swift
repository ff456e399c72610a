import Assist
import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Follows the event log and reads every customer message: intent, confidence, tone,
/// language, and the conversation's type, stored with a `message.analyzed` event in the same
/// transaction as its cursor (at-least-once, and a repeat changes nothing).
final class AssistService: Service, Sendable {
    let store: AnalysisStore
    let engine: AssistEngine
    let logger: Logger
    let tick: Duration
    let batch: Int

    init(store: AnalysisStore, engine: AssistEngine, logger: Logger, tick: Duration, batch: Int = 256) {
        self.store = store
        self.engine = engine
        self.logger = logger
        self.tick = tick
        self.batch = batch
    }

    func run() async throws {
        await EventFollower.follow(bell: store.bell, tick: tick, logger: logger, name: "assist") { try await self.step() }
    }

    /// Analyses one batch; returns whether there may be more.
    func step() async throws -> Bool {
        let page = try await store.pending(limit: batch)
        guard page.next > page.from else { return false }
        var outcomes: [AnalysisOutcome] = []
        outcomes.reserveCapacity(page.messages.count)
        for message in page.messages {
            outcomes.append(
                AnalysisOutcome(message: message, analysis: await engine.analyze(message.text), optOut: OptOut.isOptOut(message.text)))
        }
        try await store.record(outcomes, through: page.next, now: Date())
        return true
    }
}
