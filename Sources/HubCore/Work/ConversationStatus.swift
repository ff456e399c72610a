package import struct Foundation.Date
package import struct Foundation.TimeInterval

/// Where a conversation is in its life, as README's state machine draws it.
package enum ConversationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The bot is answering.
    case bot
    /// Waiting in a queue for an agent.
    case queued
    /// Assigned to an agent, who owes the next answer.
    case open
    /// Answered; waiting for the customer.
    case pending
    /// Put aside until `snoozed_until` or the customer's next message.
    case snoozed
    /// Done; the customer's next message within the reopen window reopens it.
    case resolved
    /// Done for good; the customer's next message starts a new conversation.
    case closed

    /// The statuses a person may move a conversation to from this one.
    package var allowedTargets: Set<ConversationStatus> {
        switch self {
        case .bot: return [.queued, .open, .resolved, .closed]
        case .queued: return [.bot, .open, .resolved, .closed]
        case .open: return [.bot, .queued, .pending, .snoozed, .resolved, .closed]
        case .pending: return [.bot, .open, .queued, .snoozed, .resolved, .closed]
        case .snoozed: return [.open, .queued, .pending, .resolved, .closed]
        case .resolved: return [.open, .queued, .closed]
        case .closed: return []
        }
    }

    /// Whether an agent is working on it: it counts against their capacity.
    package var countsAsLoad: Bool {
        self == .open || self == .pending
    }

    /// Whether the conversation has an owner who must stay reachable.
    package var keepsAssignee: Bool {
        self == .open || self == .pending || self == .snoozed || self == .resolved || self == .closed
    }

    /// `nil` when `self` may move to `target`, or why not (the `409`'s message).
    package func refusal(to target: ConversationStatus, assignee: Int64?, snoozedUntil: Date?) -> String? {
        if target == self { return nil }
        guard allowedTargets.contains(target) else {
            let allowed = allowedTargets.map(\.rawValue).sorted()
            return allowed.isEmpty
                ? "a \(rawValue) conversation cannot change status; the customer's next message starts a new one"
                : "a \(rawValue) conversation can move to \(allowed.joined(separator: ", ")), not \(target.rawValue)"
        }
        if (target == .open || target == .pending) && assignee == nil {
            return "a conversation is \(target.rawValue) only with an assignee: claim it or name one"
        }
        if target == .snoozed && snoozedUntil == nil {
            return "snoozing needs snoozed_until"
        }
        return nil
    }
}

/// What a customer's message does to the conversation of its thread.
package enum CustomerMessageEffect: Sendable, Hashable {
    /// The message joins it; the status becomes this one.
    case join(ConversationStatus)
    /// The message starts a new conversation.
    case startNew
}

extension ConversationStatus {
    /// The effect of a customer's message at `time` on a conversation in this status,
    /// last resolved at `resolvedAt`: a resolved one reopens within `reopenWindow`,
    /// a snoozed or pending one wakes, a closed one stays closed.
    package func customerWrote(at time: Date, resolvedAt: Date?, reopenWindow: TimeInterval, hasAssignee: Bool)
        -> CustomerMessageEffect
    {
        switch self {
        case .bot, .queued, .open:
            return .join(self)
        case .pending, .snoozed:
            return .join(hasAssignee ? .open : .queued)
        case .resolved:
            guard let resolvedAt, time.timeIntervalSince(resolvedAt) <= reopenWindow else { return .startNew }
            return .join(hasAssignee ? .open : .queued)
        case .closed:
            return .startNew
        }
    }
}

/// How urgent a conversation is; routing offers higher first.
package enum ConversationPriority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low, normal, high, urgent

    package var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }

    package static func < (left: Self, right: Self) -> Bool { left.rank < right.rank }
}
