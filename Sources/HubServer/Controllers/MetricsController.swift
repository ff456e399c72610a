import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `GET /metrics`: Prometheus's text format. Counters and request histograms are kept as they
/// happen; queues and lags are sampled from the database at each scrape.
struct MetricsController: Sendable {
    let metrics: HubMetrics
    let operations: OperationsStore
    let channels: [ChannelID]

    func scrape(_ request: Request, context: HubRequestContext) async throws -> Response {
        let gauges = try await operations.gauges(now: Date())
        let text = metrics.exposition(gauges, channels: channels)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }
}
