import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `GET /api/v1/events`: the event log, paged by `seq`, with an optional long poll.
struct EventsController {
    let hub: Hub

    /// The longest `wait` a client may ask for.
    static let maximumWait: Duration = .seconds(60)

    func register(on api: RouterGroup<HubRequestContext>) {
        api.get("events") { request, _ in try await events(request) }
    }

    private func events(_ request: Request) async throws -> Response {
        let after = try request.integerQuery("after") ?? 0
        guard after >= 0 else { throw HubError.badRequest("invalid_parameter", "'after' must be a seq (0 or more)") }
        let limit = Int(min(max(try request.integerQuery("limit") ?? 100, 1), 1000))
        let types = try Self.types(request.uri.queryParameters["types"].map(String.init))
        let wait = try Self.wait(request.uri.queryParameters["wait"].map(String.init))
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        var page: EventPage
        while true {
            // Read the bell before the log, so that an event committed in between still wakes us.
            let rings = hub.events.bell.rings
            page = try await hub.events.events(after: after, types: types, limit: limit)
            let left = deadline - clock.now
            if !page.events.isEmpty || left <= .zero { break }
            await hub.events.bell.wait(after: rings, timeout: left)
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
        guard let text, !text.isEmpty else { return .zero }
        let parsed = Duration(manifestText: text) ?? Int(text).map { Duration.seconds($0) }
        guard let parsed, parsed >= .zero else {
            throw HubError.badRequest("invalid_parameter", "'wait' must be a duration such as 30s")
        }
        return min(parsed, maximumWait)
    }
}
