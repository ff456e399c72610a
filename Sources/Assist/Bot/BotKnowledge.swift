import Foundation
package import HubCore

/// The published knowledge base as the bot reads it: BM25 search, and each article's full text
/// so that the grounding guard can check a reply against the article it cites.
package struct BotKnowledge: Sendable {
    package var index: KnowledgeIndex

    package init(index: KnowledgeIndex) {
        self.index = index
    }

    package init(articles: [KnowledgeArticle], synonyms: Synonyms = Synonyms(), threshold: Double? = nil) {
        self.index = KnowledgeIndex(articles: articles, synonyms: synonyms, answerThreshold: threshold)
    }

    /// An answer from the knowledge base.
    package struct Answer: Sendable, Hashable {
        package var citation: KnowledgeCitation
        package var passage: String
        /// The whole article (title and body), the source grounding checks the reply against.
        package var article: String
    }

    /// The best article for `question` when it answers it, preferring one in `lang`.
    package func answer(_ question: String, lang: String) -> Answer? {
        let search = index.search(question, lang: lang, limit: 5)
        guard search.answerable, let top = search.hits.first else { return nil }
        // The same topic in the customer's language, when it ranks close to the best.
        let hit = search.hits.first { $0.lang == lang && $0.score >= top.score * 0.6 } ?? top
        return answer(for: hit)
    }

    /// The best article in `lang` for a topic the bot looks up itself (the shop's cut-off rule).
    package func lookup(_ query: String, lang: String) -> Answer? {
        let search = index.search(query, lang: lang, limit: 5)
        guard let hit = search.hits.first(where: { $0.lang == lang }) ?? search.hits.first else { return nil }
        return answer(for: hit)
    }

    func answer(for hit: KnowledgeHit) -> Answer? {
        guard let entry = index.entries.first(where: { $0.article.id == hit.id }) else { return nil }
        return Answer(
            citation: KnowledgeCitation(id: hit.id, version: hit.version, title: hit.title), passage: hit.passage,
            article: entry.article.title + "\n" + entry.article.body)
    }

    /// The article's sentences, for the rule the bot quotes.
    package func sentences(of answer: Answer) -> [String] {
        KnowledgeIndex.sentences(of: answer.article)
    }
}
