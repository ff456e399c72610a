import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `GET /api/v1/events`: the event log, paged by `seq`, with an optional long poll.
struct EventsController: Sendable {
    let events: EventStore

    /// The longest `wait` a client may ask for.
    static let maximumWait: Duration = .seconds(60)

    /// `GET /api/v1/events?after=&types=&limit=&wait=`.
    func page(_ request: Request, context: HubRequestContext) async throws -> Response {
        let after = try request.integerQuery("after") ?? 0
        guard after >= 0 else { throw HubError.badRequest("invalid_parameter", "'after' must be a seq (0 or more)") }
        let limit = try request.limit(default: 100, maximum: 1000)
        let types = try Self.types(request.query("types"))
        let wait = try Self.wait(request.query("wait"))
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        var page: EventPage
        while true {
            // Read the bell before the log, so that an event committed in between still wakes us.
            let rings = events.bell.rings
            page = try await events.events(after: after, types: types, limit: limit)
            let left = deadline - clock.now
            if !page.events.isEmpty || left <= .zero { break }
            await events.bell.wait(after: rings, timeout: left)
        }
        let body = "{\"events\":[" + page.events.map(\.json).joined(separator: ",") + "],\"next\":\(page.next)}"
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `types=a,b`: known event types only, so that a typo is an error rather than silence.
    static func types(_ text: String?) throws(HubError) -> Set<String>? {
        guard let text, !text.isEmpty else { return nil }
        let names = Set(text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty })
        for name in names where !HubEventType.isKnown(name) {
            throw HubError.badRequest(
                "invalid_parameter", "unknown event type '\(name)'; known: \(HubEventType.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return names.isEmpty ? nil : names
    }

    /// `wait=30s` (or `30`): how long to hold the request open when nothing is newer.
    static func wait(_ text: String?) throws(HubError) -> Duration {
        guard let text else { return .zero }
        let parsed = Duration(manifestText: text) ?? Int(text).map { Duration.seconds($0) }
        guard let parsed, parsed >= .zero else {
            throw HubError.badRequest("invalid_parameter", "'wait' must be a duration such as 30s")
        }
        return min(parsed, maximumWait)
    }
}
