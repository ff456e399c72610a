import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `/hooks/{channel}`: where providers deliver webhooks. Check, store durably with the
/// provider's dedupe key, acknowledge; processing happens in its own stage.
struct HooksController: Sendable {
    let adapters: ChannelAdapters
    let inbox: InboxStore
    let decoded: DecodedDeliveries
    let processor: InboxProcessor
    let publicBaseURL: String
    let maxBodyBytes: Int

    /// A provider checking that the URL is ours (WeChat's server URL check).
    func answerVerification(_ request: Request, context: HubRequestContext) async throws -> Response {
        let adapter = try adapters.adapter(try context.parameters.text("channel"))
        return Self.response(try adapter.answerVerification(inboundRequest(request, body: [])))
    }

    /// Checks the delivery (signature, dedupe key, and the events when checking needs the
    /// parse anyway), commits the raw row, and answers.
    func receive(_ request: Request, context: HubRequestContext) async throws -> Response {
        let channelID = try context.parameters.text("channel")
        let adapter = try adapters.adapter(channelID)
        var request = request
        let body = try await request.collectBytes(limit: maxBodyBytes)
        let inbound = inboundRequest(request, body: body)
        let accepted = try adapter.accept(inbound)
        let dedupeKey = accepted.dedupeKey ?? "auto:\(Token.random(bytes: 16))"
        if let events = accepted.events { decoded.keep(events, channelID: channelID, dedupeKey: dedupeKey) }
        let outcome: StoreOutcome
        do {
            outcome = try await inbox.store(
                InboxEnvelope(
                    channelID: channelID, dedupeKey: dedupeKey, contentType: request.headers[.contentType], topic: accepted.topic,
                    payload: body, receivedAt: inbound.receivedAt))
        } catch {
            decoded.forget(channelID: channelID, dedupeKey: dedupeKey)
            throw error
        }
        switch outcome {
        case .stored(let inboxID):
            processor.wake()
            context.logger.debug("delivery stored", metadata: ["channel": .string(channelID), "inbox": "\(inboxID)"])
            if let reply = accepted.reply ?? adapter.acknowledgement(for: inbound, outcome: .accepted) {
                if reply.status == 202 {
                    context.logger.info(
                        "delivery stored and ignored: the channel does not handle it",
                        metadata: ["channel": .string(channelID), "topic": .string(accepted.topic ?? "-")])
                }
                return Self.response(reply)
            }
            return try StatusAnswer(status: "accepted", inbox: "\(inboxID)").response(from: request, context: context)
        case .duplicate:
            decoded.forget(channelID: channelID, dedupeKey: dedupeKey)
            context.logger.info("duplicate delivery acknowledged", metadata: ["channel": .string(channelID)])
            if let reply = adapter.acknowledgement(for: inbound, outcome: .duplicate) { return Self.response(reply) }
            return try StatusAnswer(status: "duplicate").response(from: request, context: context)
        }
    }

    /// The request as adapters see it. The URL is the public one the provider called,
    /// query string included, because Twilio signs exactly that.
    func inboundRequest(_ request: Request, body: [UInt8]) -> InboundRequest {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return InboundRequest(
            method: request.method.rawValue, publicURL: publicBaseURL + request.uri.path + query,
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
}
