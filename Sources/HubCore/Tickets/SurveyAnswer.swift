import Foundation

/// A customer's answer to a satisfaction survey: a score of 1–5 and what they added.
package struct SurveyAnswer: Sendable, Hashable {
    package var score: Int
    package var comment: String?

    /// Reads `5`, `4分`, `3 stars`, `★★★★`, `⭐⭐`, 满意 / 一般 / 不满意 (and 非常满意, 很不满意) at the
    /// start of `text`, the rest as the comment; `nil` when the text is not an answer.
    package init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        let words: [(String, Int)] = [
            ("非常满意", 5), ("很满意", 5), ("非常不满意", 1), ("很不满意", 1), ("不满意", 1), ("满意", 5), ("一般", 3),
        ]
        var rest = Substring(trimmed)
        var score: Int?
        if let word = words.first(where: { trimmed.hasPrefix($0.0) }) {
            score = word.1
            rest = rest.dropFirst(word.0.count)
        } else if let first = rest.first, let digit = first.wholeNumberValue, first.isASCII, (1...5).contains(digit),
            rest.dropFirst().first.map({ !$0.isNumber && $0 != "." }) ?? true
        {
            score = digit
            rest = rest.dropFirst()
            for suffix in ["分", "星", " stars", " star", "/5", " / 5"] where rest.hasPrefix(suffix) {
                rest = rest.dropFirst(suffix.count)
                break
            }
        } else {
            let stars = rest.prefix { $0 == "★" || $0 == "⭐" || $0 == "\u{FE0F}" }
            let count = stars.filter { $0 != "\u{FE0F}" }.count
            guard (1...5).contains(count) else { return nil }
            score = count
            rest = rest.dropFirst(stars.count)
        }
        guard let score else { return nil }
        let comment = rest.drop { " ,，.。!！:：-—~".contains($0) }.trimmingCharacters(in: .whitespacesAndNewlines)
        self.score = score
        self.comment = comment.isEmpty ? nil : comment
    }

    /// The survey question, in the conversation's language.
    package static func question(ticket: String, language: String?) -> String {
        language == "zh"
            ? "您的问题（\(ticket)）已处理完毕。请为本次服务打分：回复 1-5（5 为非常满意），或回复“满意 / 一般 / 不满意”，也可以附上您的意见。"
            : "Your request \(ticket) is solved. How did we do? Reply with a score from 1 to 5 (5 = excellent), or 满意 / 一般 / 不满意, and add a comment if you like."
    }

    /// The thanks after an answer.
    package static func thanks(language: String?) -> String {
        language == "zh" ? "感谢您的评价！" : "Thank you for your feedback!"
    }
}
