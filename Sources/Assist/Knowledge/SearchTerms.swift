/// The terms the knowledge base indexes and searches: CJK unigrams and bigrams, English words
/// without stop words and stemmed, numbers as they are. The same function reads articles and
/// questions, so both sides agree.
enum SearchTerms {
    static func terms(of text: String) -> [String] {
        var terms: [String] = []
        var han: [Unicode.Scalar] = []
        var word = String.UnicodeScalarView()
        func flushHan() {
            for (index, scalar) in han.enumerated() {
                terms.append(String(scalar))
                if index + 1 < han.count { terms.append(String(String.UnicodeScalarView([scalar, han[index + 1]]))) }
            }
            han.removeAll(keepingCapacity: true)
        }
        func flushWord() {
            guard !word.isEmpty else { return }
            let text = String(word)
            word.removeAll()
            if stopWords.contains(text) || (text.count < 2 && !text.unicodeScalars.allSatisfy { CharacterClass($0) == .digit }) { return }
            terms.append(EnglishStemmer.stem(text))
        }
        for scalar in text.unicodeScalars.prefix(20_000).map(TextNormalizer.fold) {
            switch CharacterClass(scalar) {
            case .han:
                flushWord()
                if !chineseStopCharacters.contains(scalar) {
                    han.append(scalar)
                } else {
                    flushHan()
                }
            case .letter, .digit:
                flushHan()
                word.append(scalar)
            default:
                flushHan()
                flushWord()
            }
        }
        flushHan()
        flushWord()
        return terms
    }

    /// Function words that match everything and rank nothing.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was",
        "were", "be", "been", "being", "am", "do", "does", "did", "doing", "have", "has", "had", "i", "me", "my", "mine", "you", "your",
        "yours", "we", "our", "us", "they", "them", "their", "it", "its", "this", "that", "these", "those", "there", "here", "what",
        "which", "who", "whom", "whose", "when", "where", "why", "how", "can", "could", "would", "should", "will", "shall", "may",
        "might", "must", "so", "too", "very", "just", "also", "not", "no", "yes", "any", "some", "all", "about", "into", "up", "out",
        "than", "then", "get", "got", "please", "pls", "hi", "hello", "hey", "thanks", "thank", "im", "i'm", "dont", "don't", "cant",
        "can't", "u", "ur", "s", "t", "know", "want", "like", "need", "much", "many", "after", "before", "one",
    ]

    /// Particles and pronouns of chat ("亲", "吗", "的") that break a bigram rather than form one.
    static let chineseStopCharacters: Set<Unicode.Scalar> = Set("的了吗呢吧啊呀哦嘛么亲我你您他她它们是在有就都也还和与或请个这那哪怎".unicodeScalars)
}
