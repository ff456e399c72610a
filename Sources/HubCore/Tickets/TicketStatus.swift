/// Where a ticket is in its life. The SLA clocks run only while it is `new` or `open`.
package enum TicketStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created; nobody has worked on it yet.
    case new
    /// Being worked on: the team owes the next step.
    case open
    /// Waiting for the customer.
    case pending
    /// Waiting for a third party (a courier, a supplier).
    case onHold = "on_hold"
    /// Done; the customer's reply before it closes reopens it.
    case solved
    /// Done for good; the customer's next message starts new work.
    case closed

    /// The statuses a person may move a ticket to from this one.
    package var allowedTargets: Set<TicketStatus> {
        switch self {
        case .new: return [.open, .pending, .onHold, .solved]
        case .open: return [.pending, .onHold, .solved]
        case .pending: return [.open, .onHold, .solved]
        case .onHold: return [.open, .pending, .solved]
        case .solved: return [.open, .closed]
        case .closed: return []
        }
    }

    /// `nil` when `self` may move to `target`, or why not (the `409`'s message).
    package func refusal(to target: TicketStatus) -> String? {
        if target == self || allowedTargets.contains(target) { return nil }
        let allowed = allowedTargets.map(\.rawValue).sorted()
        return allowed.isEmpty
            ? "a closed ticket cannot change status; the customer's next message starts new work"
            : "a \(rawValue) ticket can move to \(allowed.joined(separator: ", ")), not \(target.rawValue)"
    }

    /// Whether the SLA clocks count time in this status.
    package var clockRuns: Bool {
        self == .new || self == .open
    }

    /// Whether time in this status is a pause the ticket's API lists (waiting on someone else).
    package var isPause: Bool {
        self == .pending || self == .onHold
    }

    /// Whether the ticket is still work: a customer's message about it joins it.
    package var isActive: Bool {
        self != .closed
    }
}

/// What kind of work a ticket is (`../shared/ASSIST.md`'s conversation types).
package enum TicketType: String, Sendable, Hashable, Codable, CaseIterable {
    case inquiry, complaint
    case afterSales = "after_sales"
    case marketing
}
