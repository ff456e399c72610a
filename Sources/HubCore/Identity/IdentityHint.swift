/// A clue to who sent an inbound event: one identifier as the channel gave it,
/// with whether the channel proved it belongs to the sender.
///
/// Hints are compared only after ``IdentityNormaliser`` has turned them into
/// ``IdentityKey``s, because phone numbers need the manifest's default region.
public struct IdentityHint: Sendable, Hashable, Codable {
    public var kind: IdentityKind
    public var value: String
    /// True when the channel proved the identifier belongs to the sender
    /// (a signed webhook's sender id, a DMARC-passing mail address, an SMS sender).
    public var verified: Bool

    public init(kind: IdentityKind, value: String, verified: Bool) {
        self.kind = kind
        self.value = value.trimmingWhitespace()
        self.verified = verified
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space (including full-width spaces).
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
