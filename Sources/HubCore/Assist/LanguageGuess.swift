/// Which language a message is in: `zh`, `en`, or `mix` (English words inside Chinese); nil
/// when it has neither letters nor ideographs. Latin letters that are part of numbers
/// ("SF1234…", "#A77", "iphone15") do not make a Chinese message mixed. Routing's first guess
/// and assist's label both come from here.
package enum LanguageGuess {
    package static func of(_ text: String) -> String? {
        let counts = counts(text)
        if counts.han > 0 { return counts.englishWords > 0 ? "mix" : "zh" }
        return counts.letters > 0 ? "en" : nil
    }

    /// The language that dominates `text`, `zh` or `en`: a mixed message is answered in the
    /// one it uses more (about one and a half characters make a Chinese word); `nil` with neither.
    package static func dominant(_ text: String) -> String? {
        let counts = counts(text)
        if counts.han == 0 { return counts.letters > 0 ? "en" : nil }
        return Double(counts.han) / 1.5 >= Double(counts.englishWords) ? "zh" : "en"
    }

    static func counts(_ text: String) -> (han: Int, letters: Int, englishWords: Int) {
        var han = 0
        var letters = 0
        var englishWords = 0
        var wordLetters = 0
        var wordHasDigit = false
        func endWord() {
            if wordLetters >= 2, !wordHasDigit { englishWords += 1 }
            wordLetters = 0
            wordHasDigit = false
        }
        // The first 4,000 scalars decide: a megabyte of text costs no more than a page.
        for scalar in text.unicodeScalars.prefix(4_000) {
            switch scalar.value {
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF:
                endWord()
                han += 1
            case 0x41...0x5A, 0x61...0x7A, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                wordLetters += 1
                letters += 1
            case 0x30...0x39, 0xFF10...0xFF19:
                wordHasDigit = true
            default:
                endWord()
            }
        }
        endWord()
        return (han, letters, englishWords)
    }
}
