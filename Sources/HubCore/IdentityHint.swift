/// A clue to who sent an inbound event: one identifier with where it was seen.
///
/// Hints are normalised on creation so that the same person's identifier compares
/// equal whichever channel it came from.
public struct IdentityHint: Sendable, Hashable, Codable {
    public var kind: IdentityKind
    public var value: String
    /// True when the channel proved the identifier belongs to the sender
    /// (a signed webhook's sender id, a DMARC-passing mail address).
    public var verified: Bool

    public init(kind: IdentityKind, value: String, verified: Bool) {
        self.kind = kind
        self.value = kind.normalise(value)
        self.verified = verified
    }
}

/// The kinds of customer identifier the hub knows.
public struct IdentityKind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A web chat visitor, scoped to its channel: `channel:visitor`.
    public static let webVisitor = IdentityKind(rawValue: "web_visitor")
    /// An email address, lower-cased and trimmed.
    public static let email = IdentityKind(rawValue: "email")
    /// A phone number in E.164.
    public static let phone = IdentityKind(rawValue: "phone")

    public var description: String { rawValue }

    /// The canonical form of `value` for this kind.
    public func normalise(_ value: String) -> String {
        let trimmed = value.trimmingWhitespace()
        if self == .email { return trimmed.lowercased() }
        return trimmed
    }
}

extension String {
    /// The string without leading and trailing white space (including full-width spaces).
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
