/// A shop channel that can change an order on the customer's behalf: the bot's actions go
/// through it (and through HubCurl to the shop's API), never around it.
package protocol OrderActionAdapter: ChannelAdapter {
    /// Cancels an order that has not shipped.
    func cancelOrder(_ orderID: String) async throws(OrderActionFailure)
    /// Replaces the shipping address of an order that has not shipped.
    func changeShippingAddress(_ orderID: String, to address: String) async throws(OrderActionFailure)
}

/// Why the shop refused or could not be asked.
package struct OrderActionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// What the bot asked the shop to do.
package enum OrderActionKind: String, Sendable, Hashable, Codable {
    case cancel
    case changeAddress = "change_address"
}
