import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `/api/v1/conversations/{id}`: a conversation with its messages, and agents' replies.
struct ConversationsController: Sendable {
    let conversations: ConversationStore
    let outbox: OutboxStore
    let adapters: ChannelAdapters
    let channelKinds: [ChannelID: String]
    let dispatcher: OutboxDispatcher
    let work: WorkController
    let maxBodyBytes: Int

    /// `GET /api/v1/conversations/{id}?after=&limit=`.
    func show(_ request: Request, context: HubRequestContext) async throws -> ConversationDetail {
        let id = try context.parameters.id("id", resource: "conversation")
        let item = try await work.visibleItem(id, context: context)
        guard let conversation = try await conversations.conversation(id: id) else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        let messages = try await conversations.messages(
            conversationID: conversation.id, after: try request.integerQuery("after"), limit: try request.limit(default: 200, maximum: 1000)
        )
        return ConversationDetail(conversation: conversation, work: item, messages: messages)
    }

    /// `POST /api/v1/conversations/{id}/messages {"text": …, "cc"?: [address]}`: queues a reply; the
    /// dispatcher delivers it. `cc` is for mail channels only.
    func reply(_ request: Request, context: HubRequestContext) async throws -> Answer<ReplyQueued> {
        let conversationID = try context.parameters.id("id", resource: "conversation")
        let body = try await request.decodeJSON(ReplyRequest.self, limit: maxBodyBytes, example: #"{"text": string, "cc"?: [string]}"#)
        let text = body.text
        guard !text.trimmingWhitespace().isEmpty else { throw HubError.badRequest("empty_text", "'text' must not be empty") }
        let item = try await work.visibleItem(conversationID, context: context)
        let cc = try Self.copied(body.cc ?? [], channelKind: channelKinds[item.channel])
        let author = Author(role: .agent, name: context.agentName)
        guard
            let queued = try await outbox.enqueueReply(
                conversationID: conversationID, parts: [.text(text)], author: author, agentID: context.principal?.agent?.id, cc: cc,
                capabilities: { channelID in adapters[channelID]?.capabilities }, now: Date())
        else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        dispatcher.wake()
        work.wake()
        context.logger.info("reply queued", metadata: ["channel": .string(queued.message.channelID), "outbox": "\(queued.outboxID)"])
        return Answer(ReplyQueued(message: queued.message, outbox: queued.outboxID), status: .created)
    }
}

extension ConversationsController {
    /// `GET /api/v1/conversations/{id}/reply-options`: the channels this conversation's customer can
    /// be answered on now, this conversation's first, each with the reply gate's verdict, the
    /// window and the replies left: what the console's composer shows before sending.
    func replyOptions(_ request: Request, context: HubRequestContext) async throws -> ReplyOptionsAnswer {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await work.visibleItem(id, context: context)
        guard let targets = try await conversations.replyTargets(conversationID: id) else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        let now = Date()
        let options = targets.compactMap { target -> ReplyOption? in
            let channel = target.conversation.channelID
            guard let capabilities = adapters[channel]?.capabilities else { return nil }
            return ReplyOption.evaluate(
                conversation: target.conversation.id, channel: channel, kind: channelKinds[channel] ?? "unknown",
                subject: target.conversation.subject, state: target.contact, capabilities: capabilities, now: now)
        }
        return ReplyOptionsAnswer(conversation: id, options: options)
    }
}

struct ReplyOptionsAnswer: ResponseEncodable {
    var conversation: ConversationID
    var options: [ReplyOption]
}

extension ConversationsController {
    /// The addresses to copy on a reply: only a mail reply takes any, at most 10, each one address.
    static func copied(_ addresses: [String], channelKind: String?) throws -> [String] {
        guard !addresses.isEmpty else { return [] }
        guard channelKind == "email" else {
            throw HubError.conflict(
                "cc_not_supported", "only a mail reply can copy others ('cc'); this conversation is not on a mail channel")
        }
        guard addresses.count <= 10 else { throw HubError.badRequest("too_many_cc", "a reply copies at most 10 addresses") }
        // The same shape as openapi.yaml's pattern for `cc` items.
        let shape = /[^@\s<>,;"()]+@[^@\s<>,;"()]+\.[^@\s<>,;"()]+/
        return try addresses.map { address in
            guard address.count <= 254, address.wholeMatch(of: shape) != nil else {
                throw HubError.badRequest("invalid_cc", "'\(address)' is not an e-mail address")
            }
            return address
        }
    }
}

struct ReplyRequest: Decodable {
    var text: String
    var cc: [String]?
}

struct ReplyQueued: ResponseEncodable {
    var message: MessageView
    var outbox: OutboxID
}

struct ConversationDetail: ResponseEncodable {
    var conversation: ConversationSummary
    /// Status, assignee, queue, priority and labels.
    var work: WorkItemView
    var messages: [MessageView]
}
