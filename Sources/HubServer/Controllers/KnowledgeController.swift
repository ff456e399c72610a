import Assist
import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1/kb`: articles with versions (create, read, update, publish, unpublish, roll
/// back), search, and suggestions beside a conversation.
struct KnowledgeController: Sendable {
    let store: KnowledgeStore
    let knowledge: KnowledgeBase
    let conversations: ConversationStore
    let work: WorkController
    let maxBodyBytes: Int

    struct ArticleAnswer: ResponseEncodable {
        var id: String
        var title: String
        var lang: String
        var tags: [String]
        var status: String
        var body: String?
        var version: Int
        var createdAt: Date
        var updatedAt: Date
        var updatedBy: String

        init(_ stored: StoredArticle, body: Bool = true) {
            id = stored.article.id
            title = stored.article.title
            lang = stored.article.lang
            tags = stored.article.tags
            status = stored.article.status
            self.body = body ? stored.article.body : nil
            version = stored.version
            createdAt = stored.createdAt
            updatedAt = stored.updatedAt
            updatedBy = stored.updatedBy
        }

        enum CodingKeys: String, CodingKey {
            case id, title, lang, tags, status, body, version
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case updatedBy = "updated_by"
        }
    }

    struct ArticleList: ResponseEncodable {
        var articles: [ArticleAnswer]
    }

    struct VersionAnswer: ResponseEncodable {
        var version: Int
        var author: String
        var createdAt: Date
        var action: String
        var diff: String
        var title: String
        var lang: String
        var tags: [String]
        var status: String
        var body: String?

        init(_ version: ArticleVersion, body: Bool) {
            self.version = version.version
            author = version.author
            createdAt = version.createdAt
            action = version.action
            diff = version.diff
            title = version.article.title
            lang = version.article.lang
            tags = version.article.tags
            status = version.article.status
            self.body = body ? version.article.body : nil
        }

        enum CodingKeys: String, CodingKey {
            case version, author, action, diff, title, lang, tags, status, body
            case createdAt = "created_at"
        }
    }

    struct VersionList: ResponseEncodable {
        var id: String
        var versions: [VersionAnswer]
    }

    struct ArticleBody: Decodable {
        var id: String?
        var title: String
        var lang: String
        var tags: [String]?
        var status: String?
        var body: String
    }

    struct RollbackBody: Decodable {
        var version: Int
    }

    static let articleExample = #"{"id"?, "title", "lang": "zh" | "en", "tags"?: [string], "status"?: "published" | "draft", "body"}"#

    /// `GET /api/v1/kb/articles?status=&lang=`.
    func list(_ request: Request, context: HubRequestContext) async throws -> ArticleList {
        let status = try request.oneOf("status", ArticleStatus.self)?.rawValue
        let lang = try request.oneOf("lang", ArticleLanguage.self)?.rawValue
        return ArticleList(articles: try await store.list(status: status, lang: lang).map { ArticleAnswer($0, body: false) })
    }

    /// `POST /api/v1/kb/articles`: version 1 of a new article.
    func create(_ request: Request, context: HubRequestContext) async throws -> Answer<ArticleAnswer> {
        let body = try await request.decodeJSON(ArticleBody.self, limit: maxBodyBytes, example: Self.articleExample)
        let id = body.id ?? "kb-\(UUID().uuidString.prefix(8).lowercased())"
        let article = try Self.article(id: id, body)
        switch try await store.create(article, author: try context.caller().actor, now: Date()) {
        case .success(let stored):
            try await knowledge.reload()
            return Answer(ArticleAnswer(stored), status: .created)
        case .failure:
            throw HubError.conflict("article_exists", "an article with id '\(id)' exists; PUT /api/v1/kb/articles/\(id) changes it")
        }
    }

    /// `GET /api/v1/kb/articles/{id}`.
    func show(_ request: Request, context: HubRequestContext) async throws -> ArticleAnswer {
        let id = try context.parameters.text("id")
        guard let stored = try await store.article(id) else { throw Self.unknownArticle }
        return ArticleAnswer(stored)
    }

    /// `PUT /api/v1/kb/articles/{id}`: a new version when anything changed.
    func update(_ request: Request, context: HubRequestContext) async throws -> ArticleAnswer {
        let id = try context.parameters.text("id")
        // The path names the article; an id in the body (as GET returned it) is not read.
        let body = try await request.decodeJSON(ArticleBody.self, limit: maxBodyBytes, example: Self.articleExample)
        guard let current = try await store.article(id) else { throw Self.unknownArticle }
        var article = try Self.article(id: id, body)
        if body.status == nil { article.status = current.article.status }
        switch try await store.update(article, author: try context.caller().actor, now: Date()) {
        case .success(let (stored, changed)):
            if changed { try await knowledge.reload() }
            return ArticleAnswer(stored)
        case .failure: throw Self.unknownArticle
        }
    }

    /// `GET /api/v1/kb/articles/{id}/versions`: newest first, each with its diff.
    func versions(_ request: Request, context: HubRequestContext) async throws -> VersionList {
        let id = try context.parameters.text("id")
        guard let versions = try await store.versions(id) else { throw Self.unknownArticle }
        return VersionList(id: id, versions: versions.map { VersionAnswer($0, body: false) })
    }

    /// `GET /api/v1/kb/articles/{id}/versions/{version}`: that version's whole content.
    func version(_ request: Request, context: HubRequestContext) async throws -> VersionAnswer {
        let id = try context.parameters.text("id")
        let number = try context.parameters.id("version", resource: "version")
        guard try await store.article(id) != nil else { throw Self.unknownArticle }
        guard number <= Int.max, let version = try await store.version(id, Int(number)) else { throw Self.unknownVersion }
        return VersionAnswer(version, body: true)
    }

    /// `POST /api/v1/kb/articles/{id}/rollback {"version": N}`: version N's content as a new version.
    func rollback(_ request: Request, context: HubRequestContext) async throws -> ArticleAnswer {
        let id = try context.parameters.text("id")
        let body = try await request.decodeJSON(RollbackBody.self, limit: maxBodyBytes, example: #"{"version": 2}"#)
        switch try await store.rollback(id, to: body.version, author: try context.caller().actor, now: Date()) {
        case .success(let stored):
            try await knowledge.reload()
            return ArticleAnswer(stored)
        case .failure(.noSuchVersion): throw Self.unknownVersion
        case .failure: throw Self.unknownArticle
        }
    }

    /// `POST /api/v1/kb/articles/{id}/publish`.
    func publish(_ request: Request, context: HubRequestContext) async throws -> ArticleAnswer {
        try await setStatus("published", context: context)
    }

    /// `POST /api/v1/kb/articles/{id}/unpublish`: kept, with its versions, but no longer served.
    func unpublish(_ request: Request, context: HubRequestContext) async throws -> ArticleAnswer {
        try await setStatus("draft", context: context)
    }

    private func setStatus(_ status: String, context: HubRequestContext) async throws -> ArticleAnswer {
        let id = try context.parameters.text("id")
        switch try await store.setStatus(id, to: status, author: try context.caller().actor, now: Date()) {
        case .success(let stored):
            try await knowledge.reload()
            return ArticleAnswer(stored)
        case .failure: throw Self.unknownArticle
        }
    }

    struct SearchResult: Encodable {
        var id: String
        var version: Int
        var title: String
        var lang: String
        var score: Double
        var passage: String

        init(_ hit: KnowledgeHit) {
            id = hit.id
            version = hit.version
            title = hit.title
            lang = hit.lang
            score = (hit.score * 1000).rounded() / 1000
            passage = hit.passage
        }
    }

    struct SearchAnswer: ResponseEncodable {
        var query: String
        var answerable: Bool
        var reason: String
        var evidence: Double
        var threshold: Double
        var results: [SearchResult]

        init(query: String, _ search: KnowledgeSearch) {
            self.query = query
            answerable = search.answerable
            reason = search.reason
            evidence = (search.evidence * 1000).rounded() / 1000
            threshold = search.threshold
            results = search.hits.map(SearchResult.init)
        }
    }

    /// `GET /api/v1/kb/search?q=&lang=&limit=`.
    func search(_ request: Request, context: HubRequestContext) async throws -> SearchAnswer {
        guard let query = request.filledQuery("q"), !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HubError.badRequest("missing_parameter", "'q' is required and must not be blank")
        }
        guard query.count <= 2_000 else { throw HubError.badRequest("invalid_parameter", "'q' is longer than 2,000 characters") }
        let lang = try request.oneOf("lang", ArticleLanguage.self)?.rawValue
        let limit = try request.limit(default: 5, maximum: 20)
        return SearchAnswer(query: query, await knowledge.search(query, lang: lang, limit: limit))
    }

    struct SuggestionAnswer: ResponseEncodable {
        struct Asked: Encodable {
            var id: MessageID
            var text: String
        }
        var conversation: ConversationID
        var message: Asked?
        var answerable: Bool
        var reason: String
        var results: [SearchResult]
    }

    /// `GET /api/v1/conversations/{id}/suggestions`: passages for the customer's last message.
    func suggestions(_ request: Request, context: HubRequestContext) async throws -> SuggestionAnswer {
        let id = try context.parameters.id("id", resource: "conversation")
        _ = try await work.visibleItem(id, context: context)
        guard let message = try await conversations.lastCustomerMessage(conversationID: id), !message.text.isEmpty else {
            return SuggestionAnswer(
                conversation: id, message: nil, answerable: false, reason: "the customer has written no text", results: [])
        }
        let lang = message.analysis?.language == "en" ? "en" : message.analysis?.language == "zh" ? "zh" : nil
        let search = await knowledge.search(String(message.text.prefix(2_000)), lang: lang, limit: 3)
        return SuggestionAnswer(
            conversation: id, message: .init(id: message.id, text: message.text), answerable: search.answerable, reason: search.reason,
            results: search.hits.map(SearchResult.init))
    }

    static let unknownArticle = HubError.notFound("unknown_article", "no article with that id")
    static let unknownVersion = HubError.notFound("unknown_version", "the article has no such version")

    static func article(id: String, _ body: ArticleBody) throws -> KnowledgeArticle {
        let article = KnowledgeArticle(
            id: id, title: body.title.trimmingCharacters(in: .whitespacesAndNewlines), lang: body.lang,
            tags: (body.tags ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            status: body.status ?? "draft", body: body.body)
        if let problem = ArticleLoader.problem(with: article) { throw HubError.badRequest("invalid_article", problem) }
        return article
    }
}

/// `published` or `draft`, as a query parameter.
enum ArticleStatus: String, CaseIterable {
    case published, draft
}

/// `zh` or `en`, as a query parameter.
enum ArticleLanguage: String, CaseIterable {
    case zh, en
}
