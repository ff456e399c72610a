/// Turns a customer's message into the features the linear models read:
/// - CJK: character 1-, 2- and 3-grams inside each run of ideographs;
/// - Latin: words, word bigrams and character 3- to 5-grams of each word (so that typos and
///   inflections still share features);
/// - class tokens for what varies without changing the meaning: order and tracking numbers,
///   phone numbers, amounts, other numbers, emoji (each emoji is also kept, as it carries tone);
/// - tone marks: shouting in capitals, repeated "!" or "?", and the length of the message.
package struct Tokenizer: Sendable, Hashable {
    /// What the features are for.
    package enum Purpose: String, Sendable, Hashable, Codable {
        /// Everything: topic words, n-grams, numbers, tone.
        case intent
        /// Tone only needs fewer, stronger features: tone words and marks, emoji, CJK 1- and
        /// 2-grams and Latin words, so that they are not drowned by the topic's n-grams.
        case tone
    }

    package var purpose: Purpose

    package init(purpose: Purpose = .intent) {
        self.purpose = purpose
    }

    /// The features of `text`, in order, with repeats (the vectoriser counts them).
    package func features(of text: String) -> [String] {
        // Keep the reading bounded: a 1 MB message is classified by its first 4,000 scalars.
        let original = Array(text.unicodeScalars.prefix(4_000))
        var features: [String] = []
        features.reserveCapacity(original.count * 4)
        features.append(contentsOf: toneMarks(original))
        let scalars = original.map(TextNormalizer.fold)
        var latinWords: Set<String> = []
        var previousWord: String?
        var index = 0
        var hanRun: [Unicode.Scalar] = []
        func flushHan() {
            guard !hanRun.isEmpty else { return }
            ngrams(of: hanRun, into: &features)
            hanRun.removeAll(keepingCapacity: true)
            previousWord = nil
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch CharacterClass(scalar) {
            case .han:
                hanRun.append(scalar)
                index += 1
            case .letter, .digit:
                flushHan()
                var end = index
                while end < scalars.count, [.letter, .digit].contains(CharacterClass(scalars[end])) { end += 1 }
                // "#10293", "SF1234…", "1Z999AA1…" and "a-b" keep their marks inside one token.
                let token = String(String.UnicodeScalarView(scalars[index..<end]))
                let before = index > 0 ? scalars[index - 1] : " "
                let after = end < scalars.count ? scalars[end] : " "
                latinWords.insert(token)
                for word in words(token, before: before, after: after) {
                    if purpose == .tone {
                        if !word.hasPrefix("<") { features.append("w:" + word) }
                        continue
                    }
                    features.append(word.hasPrefix("<") ? word : "w:" + word)
                    if !word.hasPrefix("<") { characterNgrams(of: word, into: &features) }
                    if let previousWord { features.append("b:\(previousWord)_\(word)") }
                    previousWord = word
                }
                index = end
            case .emoji:
                flushHan()
                if purpose == .intent { features.append("<emoji>") }
                features.append("e:" + String(scalar))
                index += 1
            case .other:
                flushHan()
                if scalar == "¥" || scalar == "$" || scalar == "￥" { features.append("<currency>") }
                index += 1
            }
        }
        flushHan()
        let tone = ToneLexicon.marks(normalized: scalars, words: latinWords)
        features.append(contentsOf: tone)
        // Tone words weigh more where they are what the model is for.
        if purpose == .tone { features.append(contentsOf: tone) }
        return features
    }

    /// The words of one run of letters and digits, with numbers reduced to class tokens.
    private func words(_ token: String, before: Unicode.Scalar, after: Unicode.Scalar) -> [String] {
        let digits = token.unicodeScalars.filter { CharacterClass($0) == .digit }.count
        guard digits > 0 else { return [token] }
        let letters = token.unicodeScalars.count - digits
        if before == "¥" || before == "$" || before == "￥" || after == "元" || after == "块" { return ["<amount>"] }
        if before == "#" { return ["<order>"] }
        if letters == 0 {
            switch digits {
            case 11 where token.hasPrefix("1"): return ["<phone>"]
            case 12...: return ["<tracking>"]
            case 5...11: return ["<order>"]
            default: return ["<num>"]
            }
        }
        // A short letter prefix and many digits: a courier's or marketplace's number.
        if digits >= 7 { return ["<tracking>"] }
        // "iphone15", "3pm", "5g": the letters mean something, the number less so.
        var parts: [String] = []
        var current = ""
        var currentIsDigit = false
        for scalar in token.unicodeScalars {
            let isDigit = CharacterClass(scalar) == .digit
            if !current.isEmpty, isDigit != currentIsDigit {
                parts.append(currentIsDigit ? "<num>" : current)
                current = ""
            }
            current.unicodeScalars.append(scalar)
            currentIsDigit = isDigit
        }
        if !current.isEmpty { parts.append(currentIsDigit ? "<num>" : current) }
        return parts
    }

    private func ngrams(of run: [Unicode.Scalar], into features: inout [String]) {
        for start in run.indices {
            var gram = String.UnicodeScalarView()
            for length in 1...(purpose == .tone ? 2 : 3) where start + length <= run.count {
                gram.append(run[start + length - 1])
                features.append("h:" + String(gram))
            }
        }
    }

    private func characterNgrams(of word: String, into features: inout [String]) {
        let padded = Array(("^" + word + "$").unicodeScalars)
        guard padded.count > 3 else { return }
        for length in 3...5 where length <= padded.count {
            for start in 0...(padded.count - length) {
                features.append("c:" + String(String.UnicodeScalarView(padded[start..<(start + length)])))
            }
        }
    }

    /// Marks of tone that case folding would erase: words in capitals, "!!", "??", and length.
    private func toneMarks(_ scalars: [Unicode.Scalar]) -> [String] {
        var marks: [String] = []
        var capitals = 0
        var shouted = 0
        var bangs = 0
        var questions = 0
        var maxBangs = 0
        var maxQuestions = 0
        for scalar in scalars {
            switch scalar {
            case "A"..."Z":
                capitals += 1
            case "a"..."z":
                if capitals >= 3 { shouted += 1 }
                capitals = 0
            case "!", "！":
                bangs += 1
                maxBangs = max(maxBangs, bangs)
                questions = 0
            case "?", "？":
                questions += 1
                maxQuestions = max(maxQuestions, questions)
                bangs = 0
            default:
                if capitals >= 3 { shouted += 1 }
                capitals = 0
                if scalar != " " {
                    bangs = 0
                    questions = 0
                }
            }
        }
        if capitals >= 3 { shouted += 1 }
        if shouted > 0 { marks.append("<shout>") }
        if maxBangs >= 2 { marks.append("<bangs>") } else if maxBangs == 1 { marks.append("<bang>") }
        if maxQuestions >= 2 { marks.append("<questions>") } else if maxQuestions == 1 { marks.append("<question>") }
        let length = scalars.count
        marks.append(length <= 3 ? "<len:tiny>" : length <= 12 ? "<len:short>" : length <= 40 ? "<len:mid>" : "<len:long>")
        return marks
    }
}
