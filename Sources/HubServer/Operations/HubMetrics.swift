import CoreMetrics
import Foundation
import HubCore
import HubStorage
import Prometheus

/// The hub's Prometheus metrics: swift-metrics handles made with a factory over this hub's own
/// registry (no process-wide bootstrap, so several hubs in one test process keep apart). Names
/// follow Prometheus's conventions: the `tributary_` prefix, base units, `_total` on counters,
/// and no id in any label, so the series stay few (a test holds them under 1,500).
final class HubMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
    }

    /// One request: its route pattern (`/api/v1/customers/{id}`, never the id), method and status class.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        Timer(
            label: "tributary_http_request_duration_seconds",
            dimensions: [("route", route), ("method", method), ("status", "\(status / 100)xx")], factory: factory
        ).recordNanoseconds(nanoseconds)
    }

    func count(_ name: String, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        Counter(label: name, dimensions: dimensions, factory: factory).increment(by: amount)
    }

    func gauge(_ name: String, _ dimensions: [(String, String)] = [], _ value: Double) {
        Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }

    /// Samples the queues and lags (``OperationalGauges``) into their gauges, then writes every
    /// series in Prometheus's text format.
    func exposition(_ gauges: OperationalGauges, channels: [ChannelID]) -> [UInt8] {
        gauge("tributary_inbox_backlog", [], Double(gauges.inboxBacklog))
        gauge("tributary_inbox_lag_seconds", [], gauges.inboxLagSeconds)
        gauge("tributary_inbox_failed", [], Double(gauges.inboxFailed))
        gauge("tributary_outbox_pending", [], Double(gauges.outboxPending))
        gauge("tributary_outbox_retrying", [], Double(gauges.outboxRetrying))
        gauge("tributary_outbox_dead_letters", [], Double(gauges.outboxDeadLetters))
        gauge("tributary_conversations_queued", [], Double(gauges.conversationsQueued))
        for channel in channels {
            guard let lag = gauges.syncLagSeconds[channel] else { continue }
            gauge("tributary_sync_lag_seconds", [("channel", channel)], lag)
        }
        return registry.emitToBuffer()
    }
}
