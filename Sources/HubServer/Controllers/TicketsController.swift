import Foundation
import HubCore
import HubStorage
import Hummingbird

/// Tickets: create, list, read with live SLA clocks, change, merge, history; and the agent's
/// notifications (SLA warnings and breaches, follow-ups).
struct TicketsController: Sendable {
    let store: TicketStore
    /// The manifest's `tickets.fields`, which the console offers on a ticket.
    let fields: [TicketField]
    /// Asked to send what a change queued (a survey).
    let sendsQueued: @Sendable () -> Void
    let maxBodyBytes: Int

    struct TicketList: ResponseEncodable {
        var tickets: [TicketView]
        var next: String?
    }

    /// `{"subject","customer","priority","type","conversation"?, …}` as sent: every value is checked
    /// by hand, so that a wrong one is a `400` naming it.
    struct CreateBody: Decodable {
        var subject: String?
        var customer: Int64?
        var priority: String?
        var type: String?
        var conversation: Int64?
        var team: String?
        var assignee: Int64?
        var tags: [String]?
        var fields: [String: TicketFieldValue]?
        var orders: [String]?
    }

    func create(_ request: Request, context: HubRequestContext) async throws -> Answer<TicketView> {
        let caller = try context.caller()
        let body = try await request.decodeJSON(
            CreateBody.self, limit: maxBodyBytes,
            example:
                #"{"subject": string, "customer": id, "priority"?: low|normal|high|urgent, "type"?: inquiry|complaint|after_sales|marketing, "conversation"?: id, "team"?, "assignee"?, "tags"?, "fields"?, "orders"?}"#
        )
        guard body.customer != nil || body.conversation != nil else {
            throw HubError.badRequest("invalid_ticket", "give 'customer', or a 'conversation' to take the customer from")
        }
        var ticket = NewTicket(subject: body.subject ?? "", customerID: body.customer ?? 0)
        ticket.priority = try Self.priority(body.priority) ?? .normal
        ticket.type = try Self.type(body.type)
        ticket.team = body.team
        ticket.assignee = body.assignee
        ticket.tags = body.tags ?? []
        ticket.fields = body.fields ?? [:]
        if body.customer == nil, let conversation = body.conversation { ticket = try await fromConversation(ticket, conversation) }
        let result = try await store.create(
            ticket, conversationID: body.conversation, orders: body.orders ?? [], actor: caller.actor, now: Date())
        return Answer(try Self.answer(result), status: .created)
    }

    /// `new` with the conversation's customer.
    private func fromConversation(_ new: NewTicket, _ conversation: ConversationID) async throws -> NewTicket {
        var ticket = new
        guard let customer = try await store.customer(ofConversation: conversation) else {
            throw HubError.notFound("unknown_conversation", "no conversation \(conversation)")
        }
        ticket.customerID = customer
        return ticket
    }

    /// `GET /api/v1/tickets?status=&assignee=&team=&type=&sla=&customer=&q=&before=&limit=`.
    func list(_ request: Request, context: HubRequestContext) async throws -> TicketList {
        let caller = try context.caller()
        var filter = TicketFilter()
        filter.status = try request.oneOf("status", TicketStatus.self)
        filter.type = try request.oneOf("type", TicketType.self)
        filter.sla = try request.oneOf("sla", TicketFilter.SLAFilter.self)
        filter.team = request.filledQuery("team")
        filter.query = request.filledQuery("q")
        filter.customer = try request.integerQuery("customer")
        if let assignee = request.query("assignee") {
            switch assignee {
            case "me": filter.assignee = caller.agent?.id ?? -1
            case "none": filter.assignee = 0
            default:
                guard let id = Int64(assignee), id > 0 else {
                    throw HubError.badRequest("invalid_parameter", "'assignee' must be an agent id, me or none")
                }
                filter.assignee = id
            }
        }
        filter.limit = try request.limit(default: 50, maximum: 200)
        if let cursor = request.query("before") {
            let fields = cursor.split(separator: "|")
            guard fields.count == 2, let id = Int64(fields[1]), let time = cursorDate(String(fields[0]))
            else { throw HubError.badRequest("invalid_parameter", "'before' must be a 'next' cursor from an earlier page") }
            filter.before = (time, id)
        }
        let page = try await store.list(filter, viewer: caller.viewer, now: Date())
        return TicketList(tickets: page.items, next: page.next)
    }

    func show(_ request: Request, context: HubRequestContext) async throws -> TicketView {
        let id = try Self.ticketID(context)
        guard let ticket = try await store.ticket(id, now: Date()), try context.caller().viewer.sees(ticket) else {
            throw HubError.notFound("unknown_ticket", "no ticket with that id")
        }
        return ticket
    }

    struct HistoryAnswer: ResponseEncodable {
        var ticket: String
        var history: [TicketHistoryEntry]
    }

    func history(_ request: Request, context: HubRequestContext) async throws -> HistoryAnswer {
        let ticket = try await show(request, context: context)
        return HistoryAnswer(ticket: ticket.number, history: try await store.history(ticket.id) ?? [])
    }

    /// The body of `PATCH /api/v1/tickets/{id}`: which keys are present matters (`null` clears).
    struct PatchBody: Decodable {
        var present: Set<String> = []
        var subject: String?
        var status: String?
        var priority: String?
        var type: String?
        var assignee: Int64?
        var team: String?
        var tags: [String]?
        var fields: [String: TicketFieldValue?]?
        var followUp: FollowUpBody?
        var addConversations: [Int64]?
        var addOrders: [String]?

        struct FollowUpBody: Decodable {
            var at: String
            var note: String?
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case subject, status, priority, type, assignee, team, tags, fields
            case followUp = "follow_up"
            case addConversations = "add_conversations"
            case addOrders = "add_orders"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            present = Set(CodingKeys.allCases.filter { container.contains($0) }.map(\.rawValue))
            subject = try container.decodeIfPresent(String.self, forKey: .subject)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            priority = try container.decodeIfPresent(String.self, forKey: .priority)
            type = try container.decodeIfPresent(String.self, forKey: .type)
            assignee = try container.decodeIfPresent(Int64.self, forKey: .assignee)
            team = try container.decodeIfPresent(String.self, forKey: .team)
            tags = try container.decodeIfPresent([String].self, forKey: .tags)
            fields = try container.decodeIfPresent([String: TicketFieldValue?].self, forKey: .fields)
            followUp = try container.decodeIfPresent(FollowUpBody.self, forKey: .followUp)
            addConversations = try container.decodeIfPresent([Int64].self, forKey: .addConversations)
            addOrders = try container.decodeIfPresent([String].self, forKey: .addOrders)
        }
    }

    func update(_ request: Request, context: HubRequestContext) async throws -> TicketView {
        let caller = try context.caller()
        let current = try await show(request, context: context)
        let body = try await request.decodeJSON(
            PatchBody.self, limit: maxBodyBytes,
            example:
                #"{"status"?: new|open|pending|on_hold|solved|closed, "priority"?, "type"?, "subject"?, "assignee"?: id|null, "team"?: string|null, "tags"?: [string], "fields"?: {id: value|null}, "follow_up"?: {"at": ISO 8601, "note"?}|null, "add_conversations"?: [id], "add_orders"?: [string]}"#
        )
        if body.present.contains("assignee") && body.assignee != caller.agent?.id || body.present.contains("team") {
            try caller.require(.conversationsAssign)
        }
        var changes = TicketChanges()
        changes.subject = body.subject
        if body.present.contains("status") {
            guard let text = body.status, let status = TicketStatus(rawValue: text) else {
                throw HubError.badRequest(
                    "invalid_status", "'status' must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            changes.status = status
        }
        changes.priority = try Self.priority(body.priority)
        if body.present.contains("type") { changes.type = .some(try Self.type(body.type)) }
        if body.present.contains("assignee") { changes.assignee = .some(body.assignee) }
        if body.present.contains("team") { changes.team = .some(body.team) }
        changes.tags = body.tags
        changes.fields = body.fields
        if body.present.contains("follow_up") {
            if let followUp = body.followUp {
                guard let at = parseAPIDate(followUp.at) else {
                    throw HubError.badRequest("invalid_follow_up", "'follow_up.at' must be an ISO 8601 time")
                }
                changes.followUp = .some((at: at, note: followUp.note))
            } else {
                changes.followUp = .some(nil)
            }
        }
        changes.addConversations = body.addConversations ?? []
        changes.addOrders = body.addOrders ?? []
        let result = try await store.update(current.id, changes, actor: caller.actor, now: Date())
        if changes.status == .solved { sendsQueued() }
        return try Self.answer(result)
    }

    struct MergeBody: Decodable {
        var into: String
    }

    /// `POST /api/v1/tickets/{id}/merge {"into": "T-000002"}`.
    func merge(_ request: Request, context: HubRequestContext) async throws -> TicketView {
        let caller = try context.caller()
        let source = try await show(request, context: context)
        let body = try await request.decodeJSON(MergeBody.self, limit: maxBodyBytes, example: #"{"into": "T-000002"}"#)
        guard let target = TicketNumber.id(body.into) else {
            throw HubError.badRequest("invalid_ticket", "'into' must be a ticket number such as T-000002")
        }
        return try Self.answer(try await store.merge(source.id, into: target, actor: caller.actor, now: Date()))
    }

    struct NotificationList: ResponseEncodable {
        var notifications: [NotificationView]
    }

    /// `GET /api/v1/notifications?unread=true` for the calling agent.
    func notifications(_ request: Request, context: HubRequestContext) async throws -> NotificationList {
        let unread = try request.oneOf("unread", ["true", "false"]) == "true"
        let limit = try request.limit(default: 50, maximum: 200)
        // Notifications belong to agent accounts; an integration token has none.
        guard let agent = try context.caller().agent else { return NotificationList(notifications: []) }
        return NotificationList(notifications: try await store.notifications(agentID: agent.id, unreadOnly: unread, limit: limit))
    }

    struct ReadBody: Decodable {
        var ids: [Int64]
    }

    struct ReadAnswer: ResponseEncodable {
        var read: Int
    }

    func markRead(_ request: Request, context: HubRequestContext) async throws -> ReadAnswer {
        let body = try await request.decodeJSON(ReadBody.self, limit: maxBodyBytes, example: #"{"ids": [1, 2]}"#)
        guard let agent = try context.caller().agent else { return ReadAnswer(read: 0) }
        return ReadAnswer(read: try await store.markRead(agentID: agent.id, ids: body.ids, now: Date()))
    }

    static func ticketID(_ context: HubRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = TicketNumber.id(text) else {
            throw HubError.notFound("unknown_ticket", "no ticket with that id")
        }
        return id
    }

    static func priority(_ text: String?) throws -> ConversationPriority? {
        guard let text else { return nil }
        guard let priority = ConversationPriority(rawValue: text) else {
            throw HubError.badRequest("invalid_priority", "'priority' must be low, normal, high or urgent")
        }
        return priority
    }

    static func type(_ text: String?) throws -> TicketType? {
        guard let text else { return nil }
        guard let type = TicketType(rawValue: text) else {
            throw HubError.badRequest("invalid_type", "'type' must be inquiry, complaint, after_sales or marketing")
        }
        return type
    }

    static func answer(_ result: Result<TicketView, TicketRefusal>?) throws -> TicketView {
        switch result {
        case nil: throw HubError.notFound("unknown_ticket", "no ticket with that id")
        case .success(let ticket): return ticket
        case .failure(.invalid(let reason)): throw HubError.badRequest("invalid_ticket", reason)
        case .failure(.transition(let reason)): throw HubError.conflict("invalid_transition", reason)
        case .failure(.unknown(let what, let reason)): throw HubError.notFound("unknown_\(what)", reason)
        }
    }
}

extension Viewer {
    func sees(_ ticket: TicketView) -> Bool {
        seesAll || ticket.assignee == agentID || ticket.team == nil || teams.contains(ticket.team ?? "")
    }
}

extension TicketsController {
    /// `GET /api/v1/tickets/fields`: the custom fields a ticket can carry (`tickets.fields`).
    func fieldList(_ request: Request, context: HubRequestContext) -> TicketFieldList {
        TicketFieldList(
            fields: fields.map { TicketFieldList.Field(id: $0.id, type: $0.kind.rawValue, options: $0.options, required: $0.required) })
    }
}

struct TicketFieldList: ResponseEncodable {
    struct Field: Encodable {
        var id: String
        var type: String
        var options: [String]
        var required: Bool
    }

    var fields: [Field]
}
