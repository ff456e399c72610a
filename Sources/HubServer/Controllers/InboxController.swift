import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `/api/v1/inbox`: what was received and how processing went; failed entries can be retried.
struct InboxController: Sendable {
    let inbox: InboxStore
    let processor: InboxProcessor

    /// `GET /api/v1/inbox?state=&before=&limit=`.
    func list(_ request: Request, context: HubRequestContext) async throws -> InboxPage {
        let state = try request.oneOf("state", InboxRecord.State.self)
        let limit = try request.limit(default: 100, maximum: 500)
        let entries = try await inbox.entries(state: state, before: try request.integerQuery("before"), limit: limit)
        return InboxPage(entries: entries, counts: try await inbox.counts(), next: entries.count == limit ? entries.last?.id : nil)
    }

    /// `POST /api/v1/inbox/{id}/retry`: a failed entry goes back to the processing stage.
    func retry(_ request: Request, context: HubRequestContext) async throws -> Answer<StatusAnswer> {
        let id = try context.parameters.id("id", resource: "inbox_entry")
        switch try await inbox.retry(inboxID: id, now: Date()) {
        case nil: throw HubError.notFound("unknown_inbox_entry", "no inbox entry with that id")
        case false?: throw HubError.conflict("not_failed", "only a failed entry can be retried")
        case true?:
            processor.wake()
            context.logger.notice(
                "failed inbox entry queued again", metadata: ["inbox": "\(id)", "agent": .string(context.agentName ?? "-")])
            return Answer(StatusAnswer(status: "queued", inbox: "\(id)"), status: .accepted)
        }
    }
}

struct InboxPage: ResponseEncodable {
    var entries: [InboxEntryView]
    var counts: [String: Int]
    /// Pass as `before` for the next page; absent on the last.
    var next: Int64?
}
