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

    init(store: KnowledgeStore, synonyms: Synonyms, threshold: Double?) {
        self.store = store
        self.synonyms = synonyms
        self.threshold = threshold
        self.index = KnowledgeIndex(articles: [KnowledgeArticle](), synonyms: synonyms, answerThreshold: threshold)
    }

    /// Reads the published articles again (at start and after every change).
    func reload() async throws {
        index = KnowledgeIndex(articles: try await store.published(), synonyms: synonyms, answerThreshold: threshold)
    }

    func search(_ query: String, lang: String?, limit: Int) -> KnowledgeSearch {
        index.search(query, lang: lang, limit: limit)
    }

    var articleCount: Int { index.entries.count }
}
