/// A shop's customer record (`customers/create`, `customers/update`): identifiers that
/// let the identity graph link the shop's customer to the same person elsewhere.
public struct ShopCustomer: Sendable, Hashable {
    public var identities: [IdentityHint]
    public var name: String?

    public init(identities: [IdentityHint], name: String?) {
        self.identities = identities
        self.name = name
    }
}
