import Foundation

/// Prepares text for a word index that also finds Chinese, Japanese and Korean words.
///
/// Those scripts have no spaces between words, so a plain word tokenizer sees a
/// whole sentence as one token. The hub indexes each such run as single
/// characters followed by overlapping pairs (the CJK bigram scheme of Lucene's
/// CJKAnalyzer): a two-character word like 订单 is one indexed pair, and a longer
/// phrase is a run of consecutive pairs.
package enum SearchText {
    /// The text to store in the full-text index for `text`.
    package static func indexable(_ text: String) -> String {
        var output: [String] = []
        for segment in segments(of: text) {
            switch segment {
            case .word(let word):
                output.append(word)
            case .ideographs(let run):
                output.append(contentsOf: run.map(String.init))
                output.append(contentsOf: bigrams(run))
            }
        }
        return output.joined(separator: " ")
    }

    /// `query` as a `LIKE … ESCAPE '\\'` pattern that finds it anywhere in a text, with `%`, `_` and
    /// the escape itself taken literally.
    package static func likePattern(_ query: String) -> String {
        "%"
            + query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// An FTS5 MATCH expression that finds `query` in text indexed by ``indexable(_:)``,
    /// or `nil` when the query has nothing searchable. Every term must match.
    package static func matchExpression(_ query: String) -> String? {
        var terms: [String] = []
        for segment in segments(of: query) {
            switch segment {
            case .word(let word):
                terms.append(quoted(word))
            case .ideographs(let run):
                terms.append(quoted(run.count == 1 ? String(run) : bigrams(run).joined(separator: " ")))
            }
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    enum Segment {
        case word(String)
        case ideographs([Character])
    }

    static func segments(of text: String) -> [Segment] {
        var segments: [Segment] = []
        var word = ""
        var run: [Character] = []
        func flush() {
            if !word.isEmpty { segments.append(.word(word)) }
            if !run.isEmpty { segments.append(.ideographs(run)) }
            word = ""
            run = []
        }
        for character in text {
            if isIdeographic(character) {
                if !word.isEmpty {
                    segments.append(.word(word))
                    word = ""
                }
                run.append(character)
            } else if character.isLetter || character.isNumber {
                if !run.isEmpty {
                    segments.append(.ideographs(run))
                    run = []
                }
                word.append(character)
            } else {
                flush()
            }
        }
        flush()
        return segments
    }

    static func bigrams(_ run: [Character]) -> [String] {
        guard run.count > 1 else { return run.map(String.init) }
        return (0..<(run.count - 1)).map { String(run[$0]) + String(run[$0 + 1]) }
    }

    static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func isIdeographic(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF,  // Hiragana, Katakana
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK Compatibility Ideographs
            0x20000...0x2FA1F:  // Extensions B–F and supplements
            return true
        default:
            return false
        }
    }
}
