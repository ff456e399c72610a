import Foundation

/// An `application/x-www-form-urlencoded` body, names in order, repeats kept (Twilio
/// signs over every pair).
public struct FormBody: Sendable {
    public var pairs: [(name: String, value: String)]

    public init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses a posted form; malformed percent-encoding is a `400 malformed_form`.
    public init(parsing body: [UInt8]) throws(HubError) {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw HubError.badRequest("malformed_form", "the form is not UTF-8")
        }
        var pairs: [(String, String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(halves[0]), let value = Self.decode(halves.count > 1 ? halves[1] : "") else {
                throw HubError.badRequest("malformed_form", "invalid percent-encoding in the form body")
            }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}
