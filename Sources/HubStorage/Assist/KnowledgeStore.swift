package import Foundation
import GRDB
package import HubCore

/// A stored article with its current version.
package struct StoredArticle: Sendable, Hashable, Codable {
    package var article: KnowledgeArticle
    package var version: Int
    package var createdAt: Date
    package var updatedAt: Date
    package var updatedBy: String
}

/// One saved version of an article: who, when, what changed, and its content then.
package struct ArticleVersion: Sendable, Hashable, Codable {
    package var version: Int
    package var article: KnowledgeArticle
    package var author: String
    package var createdAt: Date
    package var action: String
    package var diff: String
}

/// Why a knowledge-base change was refused.
package enum KnowledgeRefusal: Error, Sendable, Equatable {
    case articleExists
    case noSuchArticle
    case noSuchVersion
}

/// The knowledge base: articles, and every saved version of each (author, time, a diff from
/// the version before). A save that changes nothing makes no version.
package struct KnowledgeStore: Sendable {
    let database: HubDatabase
    /// The unified diff of two articles' Markdown (assist's `LineDiff`, wired by the server).
    let differ: @Sendable (String, String) -> String

    package init(database: HubDatabase, differ: @escaping @Sendable (String, String) -> String) {
        self.database = database
        self.differ = differ
    }

    package func list(status: String? = nil, lang: String? = nil) async throws -> [StoredArticle] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM kb_article WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR lang = ?2) ORDER BY id
                    """, arguments: [status, lang]
            ).map(Self.stored)
        }
    }

    /// Published articles with their versions, for the search index.
    package func published() async throws -> [(KnowledgeArticle, version: Int)] {
        try await list(status: "published").map { ($0.article, version: $0.version) }
    }

    package func article(_ id: String) async throws -> StoredArticle? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM kb_article WHERE id = ?", arguments: [id]).map(Self.stored)
        }
    }

    package func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM kb_article") ?? 0 }
    }

    /// Creates `article` (version 1); `.articleExists` when the id is taken.
    package func create(_ article: KnowledgeArticle, author: String, now: Date) async throws -> Result<StoredArticle, KnowledgeRefusal> {
        let differ = differ
        return try await database.writer.write { db in
            if try Self.current(article.id, in: db) != nil { return .failure(.articleExists) }
            return .success(try Self.save(article, previous: nil, author: author, action: "created", differ: differ, now: now, in: db))
        }
    }

    /// Saves `article` as a new version of the stored one (`.noSuchArticle` when there is none).
    /// Returns the stored article and whether a version was made.
    package func update(_ article: KnowledgeArticle, author: String, action: String = "updated", now: Date) async throws -> Result<
        (StoredArticle, changed: Bool), KnowledgeRefusal
    > {
        let differ = differ
        return try await database.writer.write { db in
            guard let previous = try Self.current(article.id, in: db) else { return .failure(.noSuchArticle) }
            if previous.article == article { return .success((previous, changed: false)) }
            return .success(
                (try Self.save(article, previous: previous, author: author, action: action, differ: differ, now: now, in: db), true))
        }
    }

    /// Creates or updates each article (an import); returns how many were created, updated and unchanged.
    package func importArticles(_ articles: [KnowledgeArticle], author: String, now: Date) async throws -> (
        created: Int, updated: Int, unchanged: Int
    ) {
        let differ = differ
        return try await database.writer.write { db in
            var counts = (created: 0, updated: 0, unchanged: 0)
            for article in articles {
                let previous = try Self.current(article.id, in: db)
                if previous?.article == article {
                    counts.unchanged += 1
                    continue
                }
                _ = try Self.save(article, previous: previous, author: author, action: "imported", differ: differ, now: now, in: db)
                if previous == nil { counts.created += 1 } else { counts.updated += 1 }
            }
            return counts
        }
    }

    /// Publishes or unpublishes (a new version with the new status).
    package func setStatus(_ id: String, to status: String, author: String, now: Date) async throws -> Result<
        StoredArticle, KnowledgeRefusal
    > {
        let differ = differ
        return try await database.writer.write { db in
            guard let previous = try Self.current(id, in: db) else { return .failure(.noSuchArticle) }
            guard previous.article.status != status else { return .success(previous) }
            var article = previous.article
            article.status = status
            return .success(
                try Self.save(
                    article, previous: previous, author: author, action: status == "published" ? "published" : "unpublished",
                    differ: differ, now: now, in: db))
        }
    }

    /// Restores version `version` as a new version (history is never rewritten).
    package func rollback(_ id: String, to version: Int, author: String, now: Date) async throws -> Result<StoredArticle, KnowledgeRefusal>
    {
        let differ = differ
        return try await database.writer.write { db in
            guard let previous = try Self.current(id, in: db) else { return .failure(.noSuchArticle) }
            guard let old = try Self.version(id, version, in: db) else { return .failure(.noSuchVersion) }
            return .success(
                try Self.save(
                    old.article, previous: previous, author: author, action: "rolled back to \(version)", differ: differ, now: now, in: db))
        }
    }

    /// Every version, newest first; nil when the article does not exist.
    package func versions(_ id: String) async throws -> [ArticleVersion]? {
        try await database.writer.read { db in
            guard try Self.current(id, in: db) != nil else { return nil }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM kb_article_version WHERE article_id = ? ORDER BY version DESC", arguments: [id]
            ).map(Self.version)
        }
    }

    package func version(_ id: String, _ version: Int) async throws -> ArticleVersion? {
        try await database.writer.read { db in try Self.version(id, version, in: db) }
    }

    // MARK: Rows

    private static func current(_ id: String, in db: Database) throws -> StoredArticle? {
        try Row.fetchOne(db, sql: "SELECT * FROM kb_article WHERE id = ?", arguments: [id]).map(stored)
    }

    private static func version(_ id: String, _ version: Int, in db: Database) throws -> ArticleVersion? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM kb_article_version WHERE article_id = ? AND version = ?", arguments: [id, version]
        ).map(self.version)
    }

    private static func save(
        _ article: KnowledgeArticle, previous: StoredArticle?, author: String, action: String,
        differ: @Sendable (String, String) -> String, now: Date, in db: Database
    ) throws -> StoredArticle {
        let number = (previous?.version ?? 0) + 1
        let tags = JSONList.encode(article.tags)
        let diff = differ(previous?.article.markdown ?? "", article.markdown)
        try db.execute(
            sql: """
                INSERT INTO kb_article (id, version, title, lang, tags, status, body, created_at, updated_at, updated_by)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
                ON CONFLICT (id) DO UPDATE SET version = ?2, title = ?3, lang = ?4, tags = ?5, status = ?6, body = ?7, updated_at = ?8,
                    updated_by = ?9
                """, arguments: [article.id, number, article.title, article.lang, tags, article.status, article.body, now, author])
        try db.execute(
            sql: """
                INSERT INTO kb_article_version (article_id, version, title, lang, tags, status, body, author, created_at, diff, action)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [article.id, number, article.title, article.lang, tags, article.status, article.body, author, now, diff, action])
        return StoredArticle(
            article: article, version: number, createdAt: previous?.createdAt ?? now, updatedAt: now, updatedBy: author)
    }

    private static func stored(_ row: Row) -> StoredArticle {
        StoredArticle(
            article: KnowledgeArticle(
                id: row["id"], title: row["title"], lang: row["lang"], tags: JSONList.decode(row["tags"]), status: row["status"],
                body: row["body"]), version: row["version"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            updatedBy: row["updated_by"])
    }

    private static func version(_ row: Row) -> ArticleVersion {
        ArticleVersion(
            version: row["version"],
            article: KnowledgeArticle(
                id: row["article_id"], title: row["title"], lang: row["lang"], tags: JSONList.decode(row["tags"]), status: row["status"],
                body: row["body"]), author: row["author"], createdAt: row["created_at"], action: row["action"], diff: row["diff"])
    }
}
