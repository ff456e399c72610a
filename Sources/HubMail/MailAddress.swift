import Foundation
import HubCore

/// A mailbox: an optional display name and an address.
package struct MailAddress: Sendable, Hashable, Codable {
    package var name: String?
    package var address: String

    package init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses an address list (`"Zhang, San" <a@b>, c@d, =?GBK?Q?…?= <e@f>`); groups
    /// and comments are tolerated, anything without an `@` is skipped.
    package static func list(_ header: String?) -> [MailAddress] {
        guard let header else { return [] }
        var entries: [String] = []
        var current = ""
        var quoted = false
        var angle = 0
        for character in header {
            switch character {
            case "\"": quoted.toggle()
            case "<" where !quoted: angle += 1
            case ">" where !quoted: angle = max(0, angle - 1)
            case "," where !quoted && angle == 0, ";" where !quoted && angle == 0:
                entries.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        entries.append(current)
        return entries.compactMap(parse)
    }

    static func parse(_ entry: String) -> MailAddress? {
        var text = entry.trimmingWhitespace()
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("<"), !text[..<colon].contains("@") {
            text = String(text[text.index(after: colon)...]).trimmingWhitespace()  // "group: a@b"
        }
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            let address = String(text[text.index(after: open)..<close]).trimmingWhitespace()
            var name = String(text[..<open]).trimmingWhitespace()
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            name = EncodedWords.decode(name).trimmingWhitespace()
            guard address.contains("@") else { return nil }
            return MailAddress(name: name.isEmpty ? nil : name, address: address)
        }
        // "a@b (Name)" or a bare address.
        var address = text
        var name: String?
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            name = EncodedWords.decode(String(text[text.index(after: open)..<close]))
            address = String(text[..<open]).trimmingWhitespace()
        }
        guard address.contains("@"), !address.contains(" ") else { return nil }
        return MailAddress(name: name, address: address)
    }

    /// For a header: the name RFC 2047-encoded when it is not plain ASCII, quoted when it has specials.
    package var headerValue: String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        let encoded = EncodedWords.encode(name)
        if encoded != name { return "\(encoded) <\(address)>" }
        let needsQuotes = name.contains { "()<>[]:;@\\,.\"".contains($0) }
        return needsQuotes ? "\"\(name.replacingOccurrences(of: "\"", with: "\\\""))\" <\(address)>" : "\(name) <\(address)>"
    }
}
