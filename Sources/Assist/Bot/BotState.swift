package import HubCore

/// What the bot remembers of a conversation between turns (stored as JSON with the
/// conversation, so a restart forgets nothing).
package struct BotState: Sendable, Hashable, Codable {
    /// The language the bot last answered in.
    package var language: String?
    /// Turns in a row it could not understand or answer.
    package var failedTurns = 0
    /// Whether the greeting was said.
    package var greeted = false
    /// It asked which order; the answer picks among these (shop ids, in the order listed).
    package var pick: PendingPick?
    /// It asked for a new address for this order.
    package var awaitingAddress: String?
    /// It asked the customer to confirm this action.
    package var pending: PendingAction?
    /// The intent of the last answered turn.
    package var lastIntent: String?

    package init() {}

    enum CodingKeys: String, CodingKey {
        case language
        case failedTurns = "failed_turns"
        case greeted
        case pick
        case awaitingAddress = "awaiting_address"
        case pending
        case lastIntent = "last_intent"
    }
}

/// A question the bot asked: which of these orders.
package struct PendingPick: Sendable, Hashable, Codable {
    package var intent: String
    package var orderIDs: [String]

    package init(intent: String, orderIDs: [String]) {
        self.intent = intent
        self.orderIDs = orderIDs
    }

    enum CodingKeys: String, CodingKey {
        case intent
        case orderIDs = "orders"
    }
}

/// An action waiting for the customer's yes.
package struct PendingAction: Sendable, Hashable, Codable {
    package var kind: OrderActionKind
    package var orderID: String
    package var address: String?

    package init(kind: OrderActionKind, orderID: String, address: String? = nil) {
        self.kind = kind
        self.orderID = orderID
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case orderID = "order"
        case address
    }
}
