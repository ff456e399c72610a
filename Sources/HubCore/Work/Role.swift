/// What an agent account may do; each role is a fixed set of ``Permission``s.
package enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case admin, supervisor, agent, auditor

    /// The permissions the role grants. README's matrix is this table.
    package var permissions: Set<Permission> {
        switch self {
        case .admin:
            return Set(Permission.allCases)
        case .supervisor:
            return Set(Permission.allCases).subtracting([.agentsManage, .opsReplay, .auditRead, .piiReveal])
        case .agent:
            return [
                .channelsRead, .customersRead, .customersMerge, .conversationsRead, .conversationsWrite, .agentsRead,
                .presenceSelf, .queuesRead, .queuesPull, .cannedRead, .eventsRead, .kbRead, .ticketsRead, .ticketsWrite,
            ]
        case .auditor:
            return Set(Permission.allCases.filter(\.isReadOnly))
        }
    }

    /// Whether the role sees every conversation, not only its teams' and its own.
    package var seesAllConversations: Bool {
        self != .agent
    }
}

/// One thing a caller of `/api/v1` may do. Every route names the permission it needs
/// (`x-permission` in `openapi.yaml`); a caller without it gets `403` naming it.
package enum Permission: String, Sendable, Hashable, Codable, CaseIterable {
    case channelsRead = "channels.read"
    case customersRead = "customers.read"
    case customersMerge = "customers.merge"
    case conversationsRead = "conversations.read"
    case conversationsWrite = "conversations.write"
    /// Assigning a conversation to someone else, or changing another agent's assignment.
    case conversationsAssign = "conversations.assign"
    case agentsRead = "agents.read"
    case agentsManage = "agents.manage"
    case presenceSelf = "presence.self"
    case presenceManage = "presence.manage"
    case queuesRead = "queues.read"
    case queuesPull = "queues.pull"
    case cannedRead = "canned.read"
    case cannedManage = "canned.manage"
    case eventsRead = "events.read"
    /// Reading and searching knowledge-base articles and their versions; suggestions.
    case kbRead = "kb.read"
    /// Writing, publishing, unpublishing and rolling back articles.
    case kbManage = "kb.manage"
    /// Reading tickets, their history and SLA clocks; one's own notifications.
    case ticketsRead = "tickets.read"
    /// Creating, changing and merging tickets.
    case ticketsWrite = "tickets.write"
    /// The outbox, the inbox and outbound webhook deliveries.
    case opsRead = "ops.read"
    /// Retrying an inbox entry, replaying a webhook delivery.
    case opsReplay = "ops.replay"
    /// Reading and exporting the audit trail.
    case auditRead = "audit.read"
    /// Seeing phones, e-mails, addresses and payment references unmasked; exporting a customer's data.
    case piiReveal = "pii.reveal"
    /// Reports and dashboards.
    case reportsRead = "reports.read"

    /// Whether the permission only reads.
    package var isReadOnly: Bool {
        rawValue.hasSuffix(".read")
    }
}
