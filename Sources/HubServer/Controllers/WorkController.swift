import Foundation
import HubCore
import HubStorage
import Hummingbird

/// The conversation workflow: lists by view, changes, notes, claims, transfers, queues and
/// canned responses.
struct WorkController: Sendable {
    let work: WorkStore
    let routing: RoutingStore
    let wake: @Sendable () -> Void
    let maxBodyBytes: Int

    struct WorkList: ResponseEncodable {
        var conversations: [WorkItemView]
        var next: String?
    }

    /// `GET /api/v1/conversations?view=&status=&channel=&label=&priority=&q=&before=&limit=`.
    func list(_ request: Request, context: HubRequestContext) async throws -> WorkList {
        let caller = try context.caller()
        var filter = ConversationFilter()
        // An integration token holds no conversations and belongs to no team: mine and team are empty for it.
        filter.view = try request.oneOf("view", ConversationFilter.View.self) ?? .all
        filter.status = try request.oneOf("status", ConversationStatus.self)
        filter.priority = try request.oneOf("priority", ConversationPriority.self)
        filter.channel = request.filledQuery("channel")
        filter.label = request.filledQuery("label")
        filter.query = request.filledQuery("q")
        filter.customer = try request.integerQuery("customer")
        if let customer = filter.customer, customer < 1 {
            throw HubError.badRequest("invalid_parameter", "'customer' must be a customer id (1 or more)")
        }
        filter.limit = try request.limit(default: 50, maximum: 200)
        if let cursor = request.query("before") {
            let fields = cursor.split(separator: "|")
            guard fields.count == 2, let id = Int64(fields[1]), let time = cursorDate(String(fields[0]))
            else { throw HubError.badRequest("invalid_parameter", "'before' must be a 'next' cursor from an earlier page") }
            filter.before = (time, id)
        }
        let page = try await work.list(filter, viewer: caller.viewer, now: Date())
        return WorkList(conversations: page.items, next: page.next)
    }

    /// The conversation when the caller may see it; `404` as for an unknown one otherwise.
    func visibleItem(_ id: ConversationID, context: HubRequestContext) async throws -> WorkItemView {
        guard let item = try await work.item(id, now: Date()), try context.caller().viewer.sees(item) else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        return item
    }

    struct Patch: Decodable {
        var status: ConversationStatus?
        var priority: ConversationPriority?
        var labels: [String]?
        var assignee: Int64??
        var team: String??
        var snoozedUntil: Date?
        var type: String??

        enum CodingKeys: String, CodingKey {
            case status, priority, labels, assignee, team, type
            case snoozedUntil = "snoozed_until"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(ConversationStatus.self, forKey: .status)
            priority = try container.decodeIfPresent(ConversationPriority.self, forKey: .priority)
            labels = try container.decodeIfPresent([String].self, forKey: .labels)
            if container.contains(.assignee) { assignee = .some(try container.decodeIfPresent(Int64.self, forKey: .assignee)) }
            if container.contains(.team) { team = .some(try container.decodeIfPresent(String.self, forKey: .team)) }
            if container.contains(.type) {
                let value = try container.decodeIfPresent(String.self, forKey: .type)
                if let value, !AssistLabels.conversationTypes.contains(value) {
                    throw DecodingError.dataCorruptedError(
                        forKey: .type, in: container,
                        debugDescription: "'type' must be one of \(AssistLabels.conversationTypes.joined(separator: ", ")), or null")
                }
                type = .some(value)
            }
            if let text = try container.decodeIfPresent(String.self, forKey: .snoozedUntil) {
                guard let date = parseAPIDate(text) else {
                    throw DecodingError.dataCorruptedError(forKey: .snoozedUntil, in: container, debugDescription: "not ISO 8601")
                }
                snoozedUntil = date
            }
        }
    }

    /// `PATCH /api/v1/conversations/{id}`.
    func update(_ request: Request, context: HubRequestContext) async throws -> WorkItemView {
        let id = try context.parameters.id("id", resource: "conversation")
        let caller = try context.caller()
        let current = try await visibleItem(id, context: context)
        let body = try await request.decodeJSON(
            Patch.self, limit: maxBodyBytes,
            example:
                #"{"status"?, "priority"?, "labels"?: [string], "assignee"?: id | null, "team"?: string | null, "snoozed_until"?: ISO 8601, "type"?: inquiry | complaint | after_sales | marketing | null}"#
        )
        // Taking a conversation oneself is conversations.write; giving it to someone else, or taking it from them, is assigning.
        if let assignee = body.assignee, assignee != caller.agent?.id || (current.assignee != nil && current.assignee != caller.agent?.id) {
            try caller.require(.conversationsAssign)
        }
        if body.team != nil { try caller.require(.conversationsAssign) }
        if let until = body.snoozedUntil, until <= Date() {
            throw HubError.badRequest("invalid_snooze", "'snoozed_until' must be in the future")
        }
        var assignee = body.assignee
        // Taking a waiting conversation oneself is a claim: capacity and presence count, and racing takers get one winner.
        if let agentID = caller.agent?.id, assignee == .some(agentID), current.assignee == nil, current.status == .queued {
            _ = try Self.answer(claim: try await routing.claim(conversationID: id, agentID: agentID, now: Date()))
            assignee = nil
        }
        let changes = ConversationChanges(
            status: body.status, priority: body.priority, labels: body.labels, assignee: assignee, team: body.team,
            snoozedUntil: body.snoozedUntil, type: body.type)
        let result = try await work.update(id, changes, actor: caller.actor, now: Date())
        wake()
        return try Self.answer(result)
    }

    static func answer(_ result: Result<WorkItemView, WorkRefusal>?) throws -> WorkItemView {
        switch result {
        case nil: throw HubError.notFound("unknown_conversation", "no conversation with that id")
        case .success(let item): return item
        case .failure(.transition(let reason)): throw HubError.conflict("invalid_transition", reason)
        case .failure(.unknownAgent): throw HubError.notFound("unknown_agent", "no active agent with that id")
        case .failure(.unknownTeam): throw HubError.notFound("unknown_team", "no team with that id in the manifest")
        case .failure(.agentUnavailable):
            throw HubError.conflict("agent_unavailable", "that agent is not online: a conversation never waits with an agent who is away")
        }
    }

    struct NoteBody: Decodable {
        var text: String
    }

    struct NoteList: ResponseEncodable {
        var notes: [NoteView]
    }

    func addNote(_ request: Request, context: HubRequestContext) async throws -> Answer<NoteView> {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await visibleItem(id, context: context)
        let body = try await request.decodeJSON(NoteBody.self, limit: maxBodyBytes, example: #"{"text": string}"#)
        let text = body.text.trimmingWhitespace()
        guard !text.isEmpty else { throw HubError.badRequest("empty_text", "'text' must not be empty") }
        let caller = try context.caller()
        guard let note = try await work.addNote(id, text: text, author: caller.name, agentID: caller.agent?.id, now: Date()) else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        return Answer(note, status: .created)
    }

    func notes(_ request: Request, context: HubRequestContext) async throws -> NoteList {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await visibleItem(id, context: context)
        return NoteList(notes: try await work.notes(id))
    }

    /// `POST /api/v1/conversations/{id}/claim`: the caller takes it; of racing claims one wins.
    func claim(_ request: Request, context: HubRequestContext) async throws -> WorkItemView {
        let id = try context.parameters.id("id", resource: "conversation")
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "only an agent account can claim a conversation")
        }
        _ = try await visibleItem(id, context: context)
        let result = try await routing.claim(conversationID: id, agentID: agent.id, now: Date())
        wake()
        return try Self.answer(claim: result)
    }

    static func answer(claim result: Result<WorkItemView, ClaimRefusal>) throws -> WorkItemView {
        switch result {
        case .success(let item): return item
        case .failure(.unknownConversation): throw HubError.notFound("unknown_conversation", "no conversation with that id")
        case .failure(.alreadyAssigned(let agent)):
            throw HubError.conflict("already_assigned", "another agent\(agent.map { " (\($0))" } ?? "") has this conversation")
        case .failure(.notQueued(let status)):
            throw HubError.conflict("not_queued", "the conversation is \(status.rawValue), not waiting in a queue")
        case .failure(.overCapacity(let kind)):
            throw HubError.conflict("over_capacity", "you already hold as many \(kind.rawValue) conversations as your capacity allows")
        case .failure(.notOnline): throw HubError.conflict("not_online", "set your presence to online to take work")
        }
    }

    struct TransferBody: Decodable {
        var agent: Int64?
        var team: String?
        var note: String?
    }

    /// `POST /api/v1/conversations/{id}/transfer {"agent"| "team", "note"?}`.
    func transfer(_ request: Request, context: HubRequestContext) async throws -> WorkItemView {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await visibleItem(id, context: context)
        let body = try await request.decodeJSON(
            TransferBody.self, limit: maxBodyBytes, example: #"{"agent": id} or {"team": string}, "note"?: string"#)
        let caller = try context.caller()
        let result: Result<WorkItemView, WorkRefusal>?
        switch (body.agent, body.team) {
        case (let agent?, nil):
            result = try await work.update(id, ConversationChanges(assignee: .some(agent)), actor: caller.actor, now: Date())
        case (nil, let team?):
            result = try await work.transfer(id, toTeam: team, actor: caller.actor, now: Date())
        default:
            throw HubError.badRequest("invalid_transfer", "name either 'agent' or 'team'")
        }
        let item = try Self.answer(result)
        if let note = body.note?.trimmingWhitespace(), !note.isEmpty {
            _ = try await work.addNote(id, text: note, author: caller.name, agentID: caller.agent?.id, now: Date())
        }
        wake()
        return item
    }

    struct QueueList: ResponseEncodable {
        var queues: [QueueStatus]
    }

    func queues(_ request: Request, context: HubRequestContext) async throws -> QueueList {
        QueueList(queues: try await routing.queues(now: Date()))
    }

    struct NextAnswer: ResponseEncodable {
        var conversation: WorkItemView?
    }

    /// `POST /api/v1/queues/{id}/next`: the next conversation the caller may take, now theirs.
    func next(_ request: Request, context: HubRequestContext) async throws -> NextAnswer {
        let queueID = try context.parameters.text("id")
        guard try await routing.queues(now: Date()).contains(where: { $0.id == queueID }) else {
            throw HubError.notFound("unknown_queue", "no queue '\(queueID)'")
        }
        guard let agent = try context.caller().agent else {
            throw HubError.forbidden("not_an_agent", "only an agent account can take work")
        }
        guard let result = try await routing.next(queueID: queueID, agentID: agent.id, now: Date()) else { return NextAnswer() }
        wake()
        return NextAnswer(conversation: try Self.answer(claim: result))
    }

    // MARK: Canned responses

    struct CannedList: ResponseEncodable {
        var cannedResponses: [CannedResponse]
        enum CodingKeys: String, CodingKey { case cannedResponses = "canned_responses" }
    }

    struct CannedBody: Decodable {
        var shortcut: String
        var text: String
    }

    struct Rendered: ResponseEncodable {
        var text: String
    }

    struct RenderBody: Decodable {
        var conversation: Int64
    }

    func cannedList(_ request: Request, context: HubRequestContext) async throws -> CannedList {
        CannedList(cannedResponses: try await work.cannedResponses())
    }

    func addCanned(_ request: Request, context: HubRequestContext) async throws -> Answer<CannedResponse> {
        let body = try await request.decodeJSON(CannedBody.self, limit: maxBodyBytes, example: #"{"shortcut": string, "text": string}"#)
        guard !body.shortcut.isEmpty, body.shortcut.count <= 40,
            body.shortcut.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" })
        else { throw HubError.badRequest("invalid_shortcut", "'shortcut' is 1–40 of a-z, 0-9, '-' and '_'") }
        guard !body.text.trimmingWhitespace().isEmpty else { throw HubError.badRequest("empty_text", "'text' must not be empty") }
        return Answer(try await work.addCannedResponse(shortcut: body.shortcut, text: body.text, now: Date()), status: .created)
    }

    /// `POST /api/v1/canned/{id}/render {"conversation": id}`: the text with its variables filled.
    func render(_ request: Request, context: HubRequestContext) async throws -> Rendered {
        guard let canned = try await work.cannedResponse(id: try context.parameters.id("id", resource: "canned_response")) else {
            throw HubError.notFound("unknown_canned_response", "no canned response with that id")
        }
        let body = try await request.decodeJSON(RenderBody.self, limit: maxBodyBytes, example: #"{"conversation": id}"#)
        _ = try await visibleItem(body.conversation, context: context)
        guard let values = try await work.templateValues(body.conversation, agentName: try context.caller().name) else {
            throw HubError.notFound("unknown_conversation", "no conversation with that id")
        }
        return Rendered(text: CannedResponse.render(canned.text, values: values))
    }
}

/// Reads `2026-12-03T05:45:42.123Z` (as the API writes times) or the same without fractions.
func parseAPIDate(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
}

/// The time in a list's `before` cursor: an API date, or one of the documented shape with fields
/// out of range, so that any cursor of that shape pages instead of failing.
func cursorDate(_ text: String) -> Date? {
    parseAPIDate(text) ?? lenientUTCDate(text)
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` with fields out of range (`2026-02-31`) carried over as a calendar does.
private func lenientUTCDate(_ text: String) -> Date? {
    guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z/) else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = DateComponents(
        year: Int(match.1), month: Int(match.2), day: Int(match.3), hour: Int(match.4), minute: Int(match.5), second: Int(match.6))
    let fraction = match.7.flatMap { Double("0" + $0) } ?? 0
    return calendar.date(from: parts).map { $0.addingTimeInterval(fraction) }
}
