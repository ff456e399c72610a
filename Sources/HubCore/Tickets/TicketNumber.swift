/// A ticket's public number, `T-000123`: what agents say and what customers quote.
package enum TicketNumber {
    /// The number shown for the ticket with database id `id`.
    package static func text(_ id: Int64) -> String {
        let digits = String(id)
        return "T-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The ticket id of `text` when it is a ticket number (`T-000123`, `t-123`), or a bare id.
    package static func id(_ text: String) -> Int64? {
        var body = Substring(text.trimmingWhitespace())
        if body.first == "T" || body.first == "t" {
            body = body.dropFirst()
            guard body.first == "-" else { return nil }
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy(\.isASCIINumber), let id = Int64(body), id > 0 else { return nil }
        return id
    }

    /// The ticket ids quoted in a customer's text or subject: `T-` (or `t-`, `#T-`, `【T-`) and
    /// at least four digits, not inside a longer word, in order of appearance without repeats.
    package static func mentioned(in text: String) -> [Int64] {
        var found: [Int64] = []
        let characters = Array(text)
        var index = 0
        while index + 2 < characters.count {
            defer { index += 1 }
            guard characters[index] == "T" || characters[index] == "t", characters[index + 1] == "-" || characters[index + 1] == "－"
            else { continue }
            if index > 0, characters[index - 1].isLetter && characters[index - 1].isASCII || characters[index - 1].isNumber { continue }
            var end = index + 2
            while end < characters.count, characters[end].isASCIINumber { end += 1 }
            let digits = String(characters[(index + 2)..<end])
            if end < characters.count, characters[end].isASCII && characters[end].isLetter { continue }
            guard digits.count >= 4, let id = Int64(digits), id > 0, !found.contains(id) else { continue }
            found.append(id)
        }
        return found
    }
}

extension Character {
    var isASCIINumber: Bool { isASCII && isNumber }
}
