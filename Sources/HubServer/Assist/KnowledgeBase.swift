import Assist
import Foundation
import HubCore
import HubStorage

/// The searchable knowledge base: the index of the published articles, rebuilt whenever an
/// article changes. The index is a value, so a search in flight keeps the one it started on.
actor KnowledgeBase {
    private let store: KnowledgeStore
    private let synonyms: Synonyms
    private let threshold: Double?
    private var index: KnowledgeIndex
    private let reranker: EmbeddingReranker?
    /// Title and body of each published article, for embedding.
    private var texts: [String: String] = [:]

    init(store: KnowledgeStore, synonyms: Synonyms, threshold: Double?, reranker: EmbeddingReranker? = nil) {
        self.reranker = reranker
        self.store = store
        self.synonyms = synonyms
        self.threshold = threshold
        self.index = KnowledgeIndex(articles: [KnowledgeArticle](), synonyms: synonyms, answerThreshold: threshold)
    }

    /// Reads the published articles again (at start and after every change).
    func reload() async throws {
        let published = try await store.published()
        index = KnowledgeIndex(articles: published, synonyms: synonyms, answerThreshold: threshold)
        texts = Dictionary(published.map { ($0.0.id, $0.0.title + "\n" + $0.0.body) }, uniquingKeysWith: { first, _ in first })
    }

    /// BM25's ranking, re-ranked by meaning when an embeddings endpoint is configured.
    func search(_ query: String, lang: String?, limit: Int) async -> KnowledgeSearch {
        guard let reranker else { return index.search(query, lang: lang, limit: limit) }
        // Embeddings choose among a few more candidates than asked for.
        let current = index
        var search = current.search(query, lang: lang, limit: max(limit, 8))
        search.hits = Array(await reranker.rerank(query, hits: search.hits, texts: texts).prefix(limit))
        return search
    }

    /// The index as the bot reads it (BM25 only: the bot's answer never waits on an embeddings call).
    func botKnowledge() -> BotKnowledge {
        BotKnowledge(index: index)
    }
}
