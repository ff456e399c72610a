import Foundation

/// What the grounding guard found in a reply.
package struct GroundingReport: Sendable, Hashable, Codable {
    /// Every fact (order and tracking numbers, dates, times, amounts, phone numbers: anything
    /// with a digit) the reply states.
    package var facts: [String]
    /// The facts no source supports.
    package var unsupported: [String]

    package init(facts: [String] = [], unsupported: [String] = []) {
        self.facts = facts
        self.unsupported = unsupported
    }

    package var passed: Bool { unsupported.isEmpty }
}

/// Checks, before anything is sent, that every fact a reply states comes from a source: the
/// customer's stored data for the orders in question, the cited article, or the customer's own
/// words. A fact is any run with a digit in it (order and tracking numbers, dates, times,
/// amounts, phone numbers), so a figure nobody gave the bot cannot slip through, whatever
/// wrote the reply (a template or a language model).
package enum GroundingGuard {
    /// Checks `reply` against `sources`.
    package static func check(_ reply: String, sources: [String]) -> GroundingReport {
        let facts = facts(in: reply, listMarkers: true)
        var known = Set<String>()
        for source in sources {
            for fact in Self.facts(in: source, listMarkers: false) {
                known.insert(fact)
                for piece in pieces(of: fact) { known.insert(piece) }
            }
        }
        let unsupported = facts.filter { fact in
            if known.contains(fact) { return false }
            // "2026-12-05 08:00" said as its parts, "89.00" said as "89": each part must be known.
            let parts = pieces(of: fact)
            return parts.isEmpty || !parts.allSatisfy { known.contains($0) }
        }
        return GroundingReport(facts: facts, unsupported: unsupported)
    }

    /// The facts of `text`, normalised: upper-cased, without a leading `#`, `¥` or `$` and
    /// without trailing punctuation. With `listMarkers`, a lone small number that starts a line
    /// (`1.` `2)`) is the reply's own list numbering, not a fact.
    package static func facts(in text: String, listMarkers: Bool) -> [String] {
        var facts: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var first = true
            for token in tokens(of: String(line)) {
                defer { first = false }
                if listMarkers, first, token.count == 1, let digit = token.first, digit.isNumber,
                    line.trimmingCharacters(in: .whitespaces).dropFirst().first.map({ $0 == "." || $0 == ")" || $0 == "、" }) == true
                {
                    continue
                }
                facts.append(token)
            }
        }
        return facts
    }

    /// Runs of letters, digits and the separators inside numbers (`.:-/,`), that hold a digit.
    static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        func flush() {
            var token = current
            while let last = token.last, ".:-/,".contains(last) { token.removeLast() }
            while let first = token.first, ".:-/,".contains(first) { token.removeFirst() }
            if token.contains(where: { $0.isASCII && $0.isNumber }) { tokens.append(token.uppercased()) }
            current = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber) {
                current.append(character)
            } else if ".:-/,".contains(character), !current.isEmpty {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// The digit runs of a fact (`2026-12-05` → `2026`, `12`, `05`, and without leading zeros),
    /// and an amount without its zero cents.
    static func pieces(of fact: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in fact {
            if character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        // A letter-and-digit code (a tracking number) is one fact: its digits alone are not.
        if fact.contains(where: \.isLetter) { return [] }
        var result = Set(pieces)
        for piece in pieces where piece.count > 1 && piece.hasPrefix("0") {
            result.insert(String(piece.drop { $0 == "0" }.isEmpty ? "0" : piece.drop { $0 == "0" }))
        }
        return Array(result)
    }
}
