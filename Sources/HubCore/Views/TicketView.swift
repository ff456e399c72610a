package import Foundation

/// A ticket as the API shows it.
package struct TicketView: Sendable, Hashable, Codable {
    package struct OrderLink: Sendable, Hashable, Codable {
        package var channel: ChannelID
        package var orderID: String
        package var name: String
        package var status: String

        package init(channel: ChannelID, orderID: String, name: String, status: String) {
            self.channel = channel
            self.orderID = orderID
            self.name = name
            self.status = status
        }

        private enum CodingKeys: String, CodingKey {
            case channel, name, status
            case orderID = "order_id"
        }
    }

    package struct FollowUp: Sendable, Hashable, Codable {
        package var at: Date
        package var note: String?
        package var by: String?
        package var firedAt: Date?

        package init(at: Date, note: String?, by: String?, firedAt: Date?) {
            self.at = at
            self.note = note
            self.by = by
            self.firedAt = firedAt
        }

        private enum CodingKeys: String, CodingKey {
            case at, note, by
            case firedAt = "fired_at"
        }
    }

    package struct Survey: Sendable, Hashable, Codable {
        /// `sent`, `answered`, or `unsent: <why>`.
        package var state: String
        package var sentAt: Date?
        package var score: Int?
        package var comment: String?
        package var answeredAt: Date?

        package init(state: String, sentAt: Date?, score: Int?, comment: String?, answeredAt: Date?) {
            self.state = state
            self.sentAt = sentAt
            self.score = score
            self.comment = comment
            self.answeredAt = answeredAt
        }

        private enum CodingKeys: String, CodingKey {
            case state, score, comment
            case sentAt = "sent_at"
            case answeredAt = "answered_at"
        }
    }

    /// The SLA at the moment of the answer: each target the policy sets, and the pauses.
    package struct SLA: Sendable, Hashable, Codable {
        package var policy: String
        package var firstResponse: SLATargetReport?
        package var nextResponse: SLATargetReport?
        package var resolution: SLATargetReport?
        package var pauses: [SLAPause]

        package init(_ report: SLAReport) {
            policy = report.policy
            firstResponse = report.targets[.firstResponse]
            nextResponse = report.targets[.nextResponse]
            resolution = report.targets[.resolution]
            pauses = report.pauses
        }

        private enum CodingKeys: String, CodingKey {
            case policy, resolution, pauses
            case firstResponse = "first_response"
            case nextResponse = "next_response"
        }
    }

    package var id: Int64
    package var number: String
    package var subject: String
    package var type: TicketType?
    package var status: TicketStatus
    package var priority: ConversationPriority
    package var customer: CustomerID
    package var customerName: String?
    package var assignee: Int64?
    package var assigneeName: String?
    package var team: String?
    package var tags: [String]
    /// Custom fields by id: strings, numbers and booleans as JSON has them.
    package var fields: [String: TicketFieldValue]
    package var channel: ChannelID?
    package var conversations: [ConversationID]
    package var orders: [OrderLink]
    package var createdBy: String
    package var createdAt: Date
    package var updatedAt: Date
    package var solvedAt: Date?
    package var closedAt: Date?
    package var mergedInto: String?
    package var followUp: FollowUp?
    package var sla: SLA?
    package var survey: Survey?

    package init(
        id: Int64, subject: String, type: TicketType?, status: TicketStatus, priority: ConversationPriority, customer: CustomerID,
        customerName: String?, assignee: Int64?, assigneeName: String?, team: String?, tags: [String], fields: [String: TicketFieldValue],
        channel: ChannelID?, conversations: [ConversationID], orders: [OrderLink], createdBy: String, createdAt: Date, updatedAt: Date,
        solvedAt: Date?, closedAt: Date?, mergedInto: String?, followUp: FollowUp?, sla: SLA?, survey: Survey?
    ) {
        self.id = id
        self.number = TicketNumber.text(id)
        self.subject = subject
        self.type = type
        self.status = status
        self.priority = priority
        self.customer = customer
        self.customerName = customerName
        self.assignee = assignee
        self.assigneeName = assigneeName
        self.team = team
        self.tags = tags
        self.fields = fields
        self.channel = channel
        self.conversations = conversations
        self.orders = orders
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.solvedAt = solvedAt
        self.closedAt = closedAt
        self.mergedInto = mergedInto
        self.followUp = followUp
        self.sla = sla
        self.survey = survey
    }

    private enum CodingKeys: String, CodingKey {
        case id, number, subject, type, status, priority, customer, assignee, team, tags, fields, channel, conversations, orders, sla,
            survey
        case customerName = "customer_name"
        case assigneeName = "assignee_name"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case solvedAt = "solved_at"
        case closedAt = "closed_at"
        case mergedInto = "merged_into"
        case followUp = "follow_up"
    }
}

/// A custom field's value: text (dates as `yyyy-mm-dd`, choices as their option), a number or a flag.
package enum TicketFieldValue: Sendable, Hashable, Codable {
    case text(String)
    case number(Double)
    case flag(Bool)

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .flag(let flag): try container.encode(flag)
        }
    }

    /// Whether the value fits `field`, or why not.
    package func problem(for field: TicketField) -> String? {
        switch (field.kind, self) {
        case (.text, .text): return nil
        case (.number, .number): return nil
        case (.boolean, .flag): return nil
        case (.date, .text(let text)): return BusinessCalendar.isDay(text) ? nil : "field '\(field.id)' takes a date as yyyy-mm-dd"
        case (.choice, .text(let text)):
            return field.options.contains(text)
                ? nil : "field '\(field.id)' takes one of: \(field.options.joined(separator: ", "))"
        default: return "field '\(field.id)' takes a \(field.kind.rawValue)"
        }
    }
}
