import HubCore
import HubStorage
import Hummingbird

/// `GET /api/v1/outbox?state=&limit=`: replies waiting, being sent, sent or failed.
struct OutboxController: Sendable {
    let outbox: OutboxStore

    func list(_ request: Request, context: HubRequestContext) async throws -> OutboxList {
        let state = try request.oneOf("state", OutboxState.self)
        return OutboxList(entries: try await outbox.entries(state: state, limit: try request.limit(default: 100, maximum: 200)))
    }
}

struct OutboxList: ResponseEncodable {
    var entries: [OutboxEntry]
}
