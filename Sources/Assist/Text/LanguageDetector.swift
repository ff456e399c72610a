/// Which language a message is in: `zh`, `en`, or `mix` (English words inside Chinese).
/// Latin letters that are part of numbers ("SF1234…", "#A77") do not make a message mixed.
package enum LanguageDetector {
    package static func language(of text: String) -> String {
        var han = 0
        var englishWords = 0
        var wordLetters = 0
        var wordHasDigit = false
        func endWord() {
            if wordLetters >= 2, !wordHasDigit { englishWords += 1 }
            wordLetters = 0
            wordHasDigit = false
        }
        for scalar in text.unicodeScalars.prefix(4_000) {
            switch CharacterClass(TextNormalizer.fold(scalar)) {
            case .han:
                endWord()
                han += 1
            case .letter:
                if scalar.value < 0x80 || (0xFF21...0xFF5A).contains(scalar.value) { wordLetters += 1 } else { endWord() }
            case .digit:
                wordHasDigit = true
            default:
                endWord()
            }
        }
        endWord()
        if han > 0 { return englishWords > 0 ? "mix" : "zh" }
        return "en"
    }
}
