/// Masks phone numbers and email addresses in text bound for logs (provider error
/// messages quote them: "Invalid 'To' Phone Number: +1415555012").
package enum LogRedaction {
    /// Runs of seven or more digits keep their last four (`+•••••••0123`); an email
    /// keeps its first character and domain (`a•••@example.com`).
    package static func redact(_ text: String) -> String {
        var output = ""
        var digits = ""
        func flushDigits() {
            // Separators taken in hope of more digits go back out as they were.
            var tail = ""
            while let last = digits.last, !last.isNumber {
                tail = String(last) + tail
                digits.removeLast()
            }
            if digits.filter(\.isNumber).count >= 7 {
                let kept = String(digits.filter(\.isNumber).suffix(4))
                output += (digits.hasPrefix("+") ? "+" : "") + String(repeating: "•", count: 3) + kept
            } else {
                output += digits
            }
            output += tail
            digits = ""
        }
        for character in text {
            if character.isASCII && character.isNumber || (character == "+" && digits.isEmpty) {
                digits.append(character)
            } else if !digits.isEmpty && (character == "-" || character == " ") && digits.last?.isNumber == true {
                digits.append(character)
            } else {
                flushDigits()
                output.append(character)
            }
        }
        flushDigits()
        return maskEmails(output)
    }

    static func maskEmails(_ text: String) -> String {
        guard text.contains("@") else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard let at = word.firstIndex(of: "@"), at > word.startIndex, word[word.index(after: at)...].contains(".") else {
                return String(word)
            }
            let localStart = word.lastIndex(where: { !($0.isLetter || $0.isNumber || "._%+-".contains($0)) }, before: at)
            let first = localStart.map { word.index(after: $0) } ?? word.startIndex
            guard first < at else { return String(word) }
            return String(word[..<first]) + String(word[first]) + "•••" + String(word[at...])
        }.joined(separator: " ")
    }
}

extension Substring {
    fileprivate func lastIndex(where predicate: (Character) -> Bool, before end: Index) -> Index? {
        var index = end
        while index > startIndex {
            index = self.index(before: index)
            if predicate(self[index]) { return index }
        }
        return nil
    }
}
