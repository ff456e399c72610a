import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `GET/PUT/DELETE /api/v1/conversations/{id}/draft`: the calling agent's composer draft of a
/// conversation they can see, kept on the server so that it survives a reload.
struct DraftsController: Sendable {
    let drafts: DraftStore
    let work: WorkController
    let maxBodyBytes: Int

    init(database: HubDatabase, work: WorkController, maxBodyBytes: Int) {
        self.drafts = DraftStore(database: database)
        self.work = work
        self.maxBodyBytes = maxBodyBytes
    }

    struct DraftAnswer: ResponseEncodable {
        /// `null` when the agent has no draft there.
        var draft: DraftView?
    }

    struct DraftBody: Decodable {
        var text: String
        var note: Bool?
        var channel: String?
    }

    /// The draft's conversation and agent; only agent accounts keep drafts.
    private func owner(_ context: HubRequestContext) async throws -> (ConversationID, Int64) {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await work.visibleItem(id, context: context)
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "drafts belong to agent accounts; an integration token has none")
        }
        return (id, agent.id)
    }

    func show(_ request: Request, context: HubRequestContext) async throws -> DraftAnswer {
        let (conversation, agent) = try await owner(context)
        return DraftAnswer(draft: try await drafts.draft(conversation: conversation, agent: agent))
    }

    /// Saves the draft; an empty text removes it.
    func save(_ request: Request, context: HubRequestContext) async throws -> DraftAnswer {
        let (conversation, agent) = try await owner(context)
        let body = try await request.decodeJSON(
            DraftBody.self, limit: maxBodyBytes, example: #"{"text": string, "note"?: boolean, "channel"?: string}"#)
        let saved = try await drafts.save(
            body.text, note: body.note ?? false, channel: body.channel.flatMap { $0.isEmpty ? nil : $0 }, conversation: conversation,
            agent: agent, now: Date())
        return DraftAnswer(draft: saved)
    }

    func remove(_ request: Request, context: HubRequestContext) async throws -> DraftAnswer {
        let (conversation, agent) = try await owner(context)
        try await drafts.remove(conversation: conversation, agent: agent)
        return DraftAnswer(draft: nil)
    }
}
