/// An identifier in the form the hub compares: normalised, with its provenance flags.
package struct IdentityKey: Sendable, Hashable, Codable {
    package var kind: IdentityKind
    /// The canonical value, or the text as typed when it could not be normalised.
    package var value: String
    package var verified: Bool
    /// False when normalisation failed: the identifier is kept on the customer but
    /// never looked up, so it cannot merge anyone.
    package var comparable: Bool

    package init(kind: IdentityKind, value: String, verified: Bool, comparable: Bool = true) {
        self.kind = kind
        self.value = value
        self.verified = verified
        self.comparable = comparable
    }
}
