/// An identifier in the form the hub compares: normalised, with its provenance flags.
public struct IdentityKey: Sendable, Hashable, Codable {
    public var kind: IdentityKind
    /// The canonical value, or the text as typed when it could not be normalised.
    public var value: String
    public var verified: Bool
    /// False when normalisation failed: the identifier is kept on the customer but
    /// never looked up, so it cannot merge anyone.
    public var comparable: Bool

    public init(kind: IdentityKind, value: String, verified: Bool, comparable: Bool = true) {
        self.kind = kind
        self.value = value
        self.verified = verified
        self.comparable = comparable
    }
}
