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

    /// Checks the delivery (signature, dedupe key, and the events when checking needs the
    /// parse anyway), commits the raw row, and answers: processing happens in its own stage.
    func receive(_ request: Request, context: HubRequestContext) async throws -> Response {
        let channelID = try context.parameters.require("channel")
        let adapter = try hub.adapter(channelID)
        var request = request
        let body = try await request.collectBytes(limit: hub.manifest.server.maxBodyBytes)
        let inbound = inboundRequest(request, body: body)
        let accepted = try adapter.accept(inbound)
        let dedupeKey = accepted.dedupeKey ?? "auto:\(Token.random(bytes: 16))"
        if let events = accepted.events { hub.decoded.keep(events, channelID: channelID, dedupeKey: dedupeKey) }
        let outcome: StoreOutcome
        do {
            outcome = try await hub.inbox.store(
                InboxEnvelope(
                    channelID: channelID, dedupeKey: dedupeKey, contentType: request.headers[.contentType], topic: accepted.topic,
                    payload: body, receivedAt: inbound.receivedAt))
        } catch {
            hub.decoded.forget(channelID: channelID, dedupeKey: dedupeKey)
            throw error
        }
        switch outcome {
        case .stored(let inboxID):
            hub.processor.wake()
            context.logger.debug("delivery stored", metadata: ["channel": .string(channelID), "inbox": "\(inboxID)"])
            if let reply = accepted.reply ?? adapter.acknowledgement(for: inbound, outcome: .accepted) {
                if reply.status == 202 {
                    context.logger.info(
                        "delivery stored and ignored: the channel does not handle it",
                        metadata: ["channel": .string(channelID), "topic": .string(accepted.topic ?? "-")])
                }
                return Self.response(reply)
            }
            return try JSONResponse.make(["status": "accepted", "inbox": "\(inboxID)"])
        case .duplicate:
            hub.decoded.forget(channelID: channelID, dedupeKey: dedupeKey)
            context.logger.info("duplicate delivery acknowledged", metadata: ["channel": .string(channelID)])
            if let reply = adapter.acknowledgement(for: inbound, outcome: .duplicate) { return Self.response(reply) }
            return try JSONResponse.make(["status": "duplicate"])
        }
    }
}
