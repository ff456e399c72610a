/// A knowledge-base article: one language, Markdown body, published or a draft.
package struct KnowledgeArticle: Sendable, Hashable, Codable {
    package var id: String
    package var title: String
    package var lang: String
    package var tags: [String]
    /// `published` (served to agents and the bot) or `draft`.
    package var status: String
    package var body: String

    package init(id: String, title: String, lang: String, tags: [String] = [], status: String = "published", body: String) {
        self.id = id
        self.title = title
        self.lang = lang
        self.tags = tags
        self.status = status
        self.body = body
    }

    package static let statuses = ["published", "draft"]

    package var isPublished: Bool { status == "published" }

    /// The article as a Markdown file with front matter: what `kb import` reads, and what a
    /// version's diff compares (so that a changed title, tag or status shows in it too).
    package var markdown: String {
        let tagList = tags.map { $0.contains(",") || $0.contains("]") ? "\"\($0)\"" : $0 }.joined(separator: ", ")
        return "---\nid: \(id)\ntitle: \(title)\nlang: \(lang)\ntags: [\(tagList)]\nstatus: \(status)\n---\n\(body)\n"
    }

    enum CodingKeys: String, CodingKey {
        case id, title, lang, tags, status, body
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        lang = try container.decodeIfPresent(String.self, forKey: .lang) ?? "zh"
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? "published"
        body = try container.decode(String.self, forKey: .body)
    }
}
