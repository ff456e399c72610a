import Foundation

/// Marketing opt-outs in a customer's words.
package enum OptOut {
    /// Whether a message asks to stop marketing messages (退订, TD, unsubscribe, STOP).
    package static func isOptOut(_ text: String) -> Bool {
        let normalized = TextNormalizer.normalize(text).trimmingCharacters(in: .whitespacesAndNewlines)
        if ["td", "stop", "unsubscribe", "退订", "t"].contains(normalized) { return true }
        return ["退订", "unsubscribe", "opt out", "opt-out", "不要再发", "stop sending"].contains { normalized.contains($0) }
    }
}
