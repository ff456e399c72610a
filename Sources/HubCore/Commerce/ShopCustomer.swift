/// A shop's customer record (`customers/create`, `customers/update`): identifiers that
/// let the identity graph link the shop's customer to the same person elsewhere.
package struct ShopCustomer: Sendable, Hashable {
    package var identities: [IdentityHint]
    package var name: String?

    package init(identities: [IdentityHint], name: String?) {
        self.identities = identities
        self.name = name
    }
}
