/// A light suffix stripper (Porter's first steps): "returns", "returned", "returning" →
/// "return"; "deliveries" → "deliveri" like "delivery" → "deliveri". Enough for matching a
/// question to an article; not a linguistic stem.
enum EnglishStemmer {
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.unicodeScalars.allSatisfy({ $0.value < 0x80 }) else { return word }
        var w = word
        if w.hasSuffix("sses") {
            w.removeLast(2)
        } else if w.hasSuffix("ies") {
            w.removeLast(3)
            w += "i"
        } else if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is") {
            w.removeLast()
        }
        if w.hasSuffix("eed") {
            if w.count > 4 { w.removeLast() }
        } else if w.hasSuffix("ing"), w.count > 5, hasVowel(w.dropLast(3)) {
            w.removeLast(3)
            w = tidy(w)
        } else if w.hasSuffix("ed"), w.count > 4, hasVowel(w.dropLast(2)) {
            w.removeLast(2)
            w = tidy(w)
        }
        if w.hasSuffix("y"), w.count > 3, hasVowel(w.dropLast()) {
            w.removeLast()
            w += "i"
        }
        for (suffix, replacement) in [
            ("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("ousness", "ous"), ("ment", ""), ("ly", ""),
        ]
        where w.hasSuffix(suffix) && w.count - suffix.count >= 4 {
            w.removeLast(suffix.count)
            w += replacement
            break
        }
        return w
    }

    private static func hasVowel(_ text: Substring) -> Bool {
        text.contains { "aeiou".contains($0) }
    }

    /// "shipp" → "ship", "hop" + "e"-less forms are left alone.
    private static func tidy(_ word: String) -> String {
        let scalars = Array(word.unicodeScalars)
        if scalars.count >= 2, scalars[scalars.count - 1] == scalars[scalars.count - 2], !"lsz".unicodeScalars.contains(scalars.last!) {
            return String(word.dropLast())
        }
        return word
    }
}
