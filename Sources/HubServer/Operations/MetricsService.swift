import Foundation
import HubCore
import HubStorage
import Logging
import ServiceLifecycle

/// Counts what happens from the event log, from its head at start (a counter starts at zero with
/// the process, as Prometheus expects): messages in and out per channel, the bot's answers and
/// hand-offs, its actions, SLA breaches and dead-lettered sends.
final class MetricsService: Service, Sendable {
    let events: EventStore
    let metrics: HubMetrics
    let logger: Logger
    let tick: Duration

    init(events: EventStore, metrics: HubMetrics, logger: Logger, tick: Duration) {
        self.events = events
        self.metrics = metrics
        self.logger = logger
        self.tick = tick
    }

    private static let counted: Set<String> = [
        HubEventType.messageReceived, .messageSent, .botHandoff, .botAction, .slaBreached, .outboxDeadLettered,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    func run() async throws {
        let cursor = Cursor(after: try await events.head())
        await EventFollower.follow(bell: events.bell, tick: tick, logger: logger, name: "metrics") { [events, metrics] in
            let page = try await events.events(after: await cursor.after, types: Self.counted, limit: 500)
            for event in page.events { Self.count(event, into: metrics) }
            await cursor.move(to: page.next)
            return !page.events.isEmpty
        }
    }

    static func count(_ event: LoggedEvent, into metrics: HubMetrics) {
        let data = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] ?? [:]
        let message = data["message"] as? [String: Any] ?? data
        let channel = message["channel"] as? String ?? "unknown"
        switch event.type {
        case HubEventType.messageReceived.rawValue:
            metrics.count("tributary_messages_received_total", [("channel", channel)])
        case HubEventType.messageSent.rawValue:
            let author = (message["author"] as? [String: Any])?["role"] as? String ?? "agent"
            metrics.count("tributary_messages_sent_total", [("channel", channel), ("author", author)])
            if author == "bot" { metrics.count("tributary_bot_answers_total", [("channel", channel)]) }
        case HubEventType.botHandoff.rawValue:
            metrics.count("tributary_bot_handoffs_total")
        case HubEventType.botAction.rawValue:
            metrics.count("tributary_bot_actions_total", [("outcome", data["outcome"] as? String ?? "unknown")])
        case HubEventType.slaBreached.rawValue:
            metrics.count("tributary_sla_breaches_total")
        case HubEventType.outboxDeadLettered.rawValue:
            metrics.count("tributary_outbox_dead_lettered_total", [("channel", channel)])
        default:
            break
        }
    }

    /// The follower's position, shared by its steps.
    private actor Cursor {
        var after: Int64
        init(after: Int64) { self.after = after }
        func move(to seq: Int64) { after = max(after, seq) }
    }
}
