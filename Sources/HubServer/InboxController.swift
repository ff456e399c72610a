import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/inbox`: what was received and how processing went; failed entries can be retried.
struct InboxController {
    let hub: Hub

    func register(on api: RouterGroup<HubRequestContext>) {
        api.get("inbox") { request, _ in
            var state: InboxRecord.State?
            if let text = request.uri.queryParameters["state"].map(String.init), !text.isEmpty {
                guard let parsed = InboxRecord.State(rawValue: text) else {
                    throw HubError.badRequest("invalid_parameter", "'state' must be pending, processing, processed or failed")
                }
                state = parsed
            }
            let limit = Int(min(max(try request.integerQuery("limit") ?? 100, 1), 500))
            let entries = try await hub.inbox.entries(state: state, before: try request.integerQuery("before"), limit: limit)
            return try JSONResponse.make(
                InboxPage(entries: entries, counts: try await hub.inbox.counts(), next: entries.count == limit ? entries.last?.id : nil))
        }
        api.post("inbox/{id}/retry") { _, context in
            let id = try context.parameters.id("id", resource: "inbox_entry")
            switch try await hub.inbox.retry(inboxID: id, now: Date()) {
            case nil: throw HubError.notFound("unknown_inbox_entry", "no inbox entry with that id")
            case false?: throw HubError.conflict("not_failed", "only a failed entry can be retried")
            case true?:
                hub.processor.wake()
                context.logger.notice(
                    "failed inbox entry queued again", metadata: ["inbox": "\(id)", "agent": .string(context.agentName ?? "-")])
                return try JSONResponse.make(["status": "queued", "inbox": "\(id)"], status: .accepted)
            }
        }
    }
}

struct InboxPage: Encodable {
    var entries: [InboxEntryView]
    var counts: [String: Int]
    /// Pass as `before` for the next page; absent on the last.
    var next: Int64?
}
