/// A clue to who sent an inbound event: one identifier as the channel gave it,
/// with whether the channel proved it belongs to the sender.
///
/// Hints are compared only after ``IdentityNormaliser`` has turned them into
/// ``IdentityKey``s, because phone numbers need the manifest's default region.
package struct IdentityHint: Sendable, Hashable, Codable {
    package var kind: IdentityKind
    package var value: String
    /// True when the channel proved the identifier belongs to the sender
    /// (a signed webhook's sender id, a DMARC-passing mail address, an SMS sender).
    package var verified: Bool

    package init(kind: IdentityKind, value: String, verified: Bool) {
        self.kind = kind
        self.value = value.trimmingWhitespace()
        self.verified = verified
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space (including full-width spaces).
    package func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
