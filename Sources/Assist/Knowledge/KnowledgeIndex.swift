import Foundation
package import HubCore

/// BM25 over the published articles, with the title and tags weighing more than the body, a
/// preference for the question's language, and synonyms. Built once per set of articles (it
/// is a value: a new version of an article makes a new index, searches in flight keep theirs).
package struct KnowledgeIndex: Sendable {
    /// One article as indexed, with the version that an answer from it cites.
    package struct Entry: Sendable {
        package var article: KnowledgeArticle
        package var version: Int
        var frequencies: [String: Float]
        var length: Float
        var sentences: [String]
        var sentenceTerms: [Set<String>]
    }

    package private(set) var entries: [Entry] = []
    private var documentFrequency: [String: Int] = [:]
    private var averageLength: Float = 1
    private let synonyms: Synonyms
    /// The decision threshold on the evidence (see `KnowledgeSearch.answerable`).
    package var answerThreshold: Double

    static let k1: Float = 1.2
    static let b: Float = 0.75
    static let titleWeight: Float = 3
    static let tagWeight: Float = 2
    /// A question in one language still finds an article in the other (through synonyms), but
    /// prefers its own.
    static let otherLanguage: Float = 0.7
    /// Synonyms count a little less than the word the customer used.
    static let synonymWeight: Float = 0.6
    /// The default decision threshold, calibrated on our questions
    /// (`tributary assist eval kb samples/assist/kb-questions.jsonl --kb samples/assist/kb --calibrate`).
    package static let defaultAnswerThreshold = 3.88

    package init(articles: [(KnowledgeArticle, version: Int)], synonyms: Synonyms = Synonyms(), answerThreshold: Double? = nil) {
        self.synonyms = synonyms
        self.answerThreshold = answerThreshold ?? Self.defaultAnswerThreshold
        for (article, version) in articles where article.isPublished {
            var frequencies: [String: Float] = [:]
            for term in SearchTerms.terms(of: article.title) { frequencies[term, default: 0] += Self.titleWeight }
            for term in article.tags.flatMap(SearchTerms.terms) { frequencies[term, default: 0] += Self.tagWeight }
            for term in SearchTerms.terms(of: article.body) { frequencies[term, default: 0] += 1 }
            let sentences = Self.sentences(of: article.body)
            entries.append(
                Entry(
                    article: article, version: version, frequencies: frequencies, length: frequencies.values.reduce(0, +),
                    sentences: sentences, sentenceTerms: sentences.map { Set(SearchTerms.terms(of: $0)) }))
            for term in frequencies.keys { documentFrequency[term, default: 0] += 1 }
        }
        averageLength = entries.isEmpty ? 1 : entries.map(\.length).reduce(0, +) / Float(entries.count)
    }

    package init(articles: [KnowledgeArticle], synonyms: Synonyms = Synonyms(), answerThreshold: Double? = nil) {
        self.init(articles: articles.map { ($0, version: 1) }, synonyms: synonyms, answerThreshold: answerThreshold)
    }

    func idf(_ term: String) -> Float {
        let count = Float(entries.count)
        let frequency = Float(documentFrequency[term] ?? 0)
        return log(1 + (count - frequency + 0.5) / (frequency + 0.5))
    }

    /// The ranked articles for `query`, best first, and whether the best one answers it.
    package func search(_ query: String, lang: String? = nil, limit: Int = 5) -> KnowledgeSearch {
        let asked = SearchTerms.terms(of: query)
        var weights: [String: Float] = [:]
        for term in asked { weights[term] = 1 }
        for term in synonyms.expansion(of: asked) where weights[term] == nil { weights[term] = Self.synonymWeight }
        let language = lang ?? LanguageGuess.of(query) ?? "en"
        var scored: [(entry: Int, score: Float)] = []
        for (position, entry) in entries.enumerated() {
            var score: Float = 0
            for (term, weight) in weights.sorted(by: { $0.key < $1.key }) {
                guard let frequency = entry.frequencies[term] else { continue }
                let saturation = frequency * (Self.k1 + 1) / (frequency + Self.k1 * (1 - Self.b + Self.b * entry.length / averageLength))
                score += weight * idf(term) * saturation
            }
            guard score > 0 else { continue }
            if language != "mix", entry.article.lang != language { score *= Self.otherLanguage }
            scored.append((position, score))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : entries[$0.entry].article.id < entries[$1.entry].article.id }
        let hits = scored.prefix(max(1, limit)).map { candidate in
            let entry = entries[candidate.entry]
            return KnowledgeHit(
                id: entry.article.id, version: entry.version, title: entry.article.title, lang: entry.article.lang,
                score: Double(candidate.score), passage: passage(of: entry, weights: weights))
        }
        let coverage = scored.first.map { self.coverage(of: asked, in: entries[$0.entry]) } ?? 0
        let evidence = Double(scored.first?.score ?? 0) * coverage
        return KnowledgeSearch(hits: hits, coverage: coverage, evidence: evidence, threshold: answerThreshold)
    }

    /// How much of the question the best article speaks to: the share of the question's
    /// distinct terms, weighted by how rare they are in the knowledge base, that occur in it
    /// (directly or through a synonym). Terms the knowledge base never uses weigh most, so a
    /// question about something it does not cover scores low wherever it lands.
    func coverage(of asked: [String], in entry: Entry) -> Double {
        let distinct = Array(Set(asked))
        guard !distinct.isEmpty else { return 0 }
        var total: Float = 0
        var covered: Float = 0
        for term in distinct {
            // Single Chinese characters are covered by the bigrams; they would count twice.
            if term.unicodeScalars.count == 1, CharacterClass(term.unicodeScalars.first!) == .han { continue }
            let weight = idf(term)
            total += weight
            if entry.frequencies[term] != nil || synonyms.expansion(of: [term]).contains(where: { entry.frequencies[$0] != nil }) {
                covered += weight
            }
        }
        return total > 0 ? Double(covered / total) : 0
    }

    /// The one or two sentences of the article that say most of what was asked.
    private func passage(of entry: Entry, weights: [String: Float]) -> String {
        guard !entry.sentences.isEmpty else { return "" }
        var best = 0
        var bestScore: Float = -1
        for (index, terms) in entry.sentenceTerms.enumerated() {
            var score: Float = 0
            for term in terms { if let weight = weights[term] { score += weight * idf(term) } }
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        var passage = entry.sentences[best]
        if passage.count < 40, best + 1 < entry.sentences.count { passage += " " + entry.sentences[best + 1] }
        return passage
    }

    /// Sentences of a Markdown body: split at Chinese and Latin full stops and at line breaks.
    static func sentences(of body: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let scalars = Array(body.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" {
                if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current.trimmingCharacters(in: .whitespaces)) }
                current = ""
                continue
            }
            current.unicodeScalars.append(scalar)
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            if "。！？；".unicodeScalars.contains(scalar) || (".!?".unicodeScalars.contains(scalar) && (next == " " || next == "\n")) {
                sentences.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current.trimmingCharacters(in: .whitespaces)) }
        return sentences.map { $0.hasPrefix("#") ? String($0.drop { $0 == "#" || $0 == " " }) : $0 }
    }
}

/// One ranked article.
package struct KnowledgeHit: Sendable, Hashable, Codable {
    package var id: String
    package var version: Int
    package var title: String
    package var lang: String
    package var score: Double
    package var passage: String
}

/// The answer to a knowledge-base search.
package struct KnowledgeSearch: Sendable, Hashable {
    package var hits: [KnowledgeHit]
    /// How much of the question the best article covers (0…1).
    package var coverage: Double
    /// The best article's score times its coverage: high only when an article both matches
    /// strongly and speaks to most of what was asked.
    package var evidence: Double
    package var threshold: Double

    /// Whether the best article answers the question, or the right move is to decline.
    package var answerable: Bool { !hits.isEmpty && evidence >= threshold }

    /// Why `answerable` is what it is, for agents and logs.
    package var reason: String {
        if hits.isEmpty { return "no article shares a word with the question" }
        let share = Int((coverage * 100).rounded())
        let figures =
            "evidence \(String(format: "%.2f", evidence)), threshold \(String(format: "%.2f", threshold)); it covers \(share)% of the question"
        return answerable ? "the best article answers it (\(figures))" : "no article answers it well enough (\(figures))"
    }
}
