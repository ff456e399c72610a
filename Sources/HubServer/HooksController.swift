import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/hooks/{channel}`: where providers deliver webhooks. Verify, store durably with
/// the provider's dedupe key, process, then acknowledge.
struct HooksController {
    let hub: Hub

    func register(on router: Router<HubRequestContext>) {
        router.post("hooks/{channel}") { request, context in try await receive(request, context: context) }
        router.get("hooks/{channel}") { request, context in try await answerVerification(request, context: context) }
    }

    /// A provider checking that the URL is ours (WeChat's server URL check).
    func answerVerification(_ request: Request, context: HubRequestContext) async throws -> Response {
        let adapter = try hub.adapter(try context.parameters.require("channel"))
        return Self.response(try adapter.answerVerification(inboundRequest(request, body: [])))
    }

    /// The request as adapters see it. The URL is the public one the provider called,
    /// query string included, because Twilio signs exactly that.
    func inboundRequest(_ request: Request, body: [UInt8]) -> InboundRequest {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return InboundRequest(
            method: request.method.rawValue, publicURL: hub.publicBaseURL + request.uri.path + query,
            query: Dictionary(
                request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first }),
            headers: Dictionary(
                request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { first, _ in first }),
            body: body, receivedAt: Date())
    }

    static func response(_ reply: WebhookReply) -> Response {
        Response(
            status: HTTPResponse.Status(code: reply.status), headers: [.contentType: reply.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    func receive(_ request: Request, context: HubRequestContext) async throws -> Response {
        let channelID = try context.parameters.require("channel")
        let adapter = try hub.adapter(channelID)
        var request = request
        let body = try await request.collectBytes(limit: hub.manifest.server.maxBodyBytes)
        let inbound = inboundRequest(request, body: body)
        let accepted = try adapter.accept(inbound)
        let outcome = try await hub.inbox.ingest(
            InboxEnvelope(
                channelID: channelID, dedupeKey: accepted.dedupeKey ?? "auto:\(Token.random(bytes: 16))",
                contentType: request.headers[.contentType], topic: accepted.topic, payload: body, receivedAt: inbound.receivedAt),
            decode: { [events = accepted.events] raw in
                // Events decoded while checking the delivery; a replay decodes the stored payload.
                if let events { return events }
                return try adapter.decode(raw)
            })
        switch outcome {
        case .accepted(let result, _):
            if let reply = adapter.acknowledgement(for: inbound, outcome: .accepted) {
                if reply.status == 202 {
                    context.logger.info(
                        "delivery stored and ignored: the channel does not handle it",
                        metadata: ["channel": .string(channelID), "topic": .string(accepted.topic ?? "-")])
                }
                return Self.response(reply)
            }
            return try JSONResponse.make(["status": "accepted", "inbox": "\(result.inboxID)"])
        case .duplicate:
            context.logger.info("duplicate delivery acknowledged", metadata: ["channel": .string(channelID)])
            if let reply = adapter.acknowledgement(for: inbound, outcome: .duplicate) { return Self.response(reply) }
            return try JSONResponse.make(["status": "duplicate"])
        case .storedUnprocessed(let inboxID, let error):
            // Stored durably: acknowledge so the provider stops retrying; replay will try again.
            context.logger.error(
                "webhook stored but not processed",
                metadata: ["channel": .string(channelID), "inbox": "\(inboxID)", "error": .string(LogRedaction.redact(error))])
            if let reply = adapter.acknowledgement(for: inbound, outcome: .storedUnprocessed) { return Self.response(reply) }
            return try JSONResponse.make(["status": "stored", "inbox": "\(inboxID)"], status: .accepted)
        }
    }
}
