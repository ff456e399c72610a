import Foundation
package import HubCore

/// Reads knowledge-base articles: Markdown files with front matter (`id`, `title`, `lang`,
/// `tags`, `status`) or JSON Lines (`{"id","title","lang","body"}`), one file or a folder of
/// them. A bad file is reported by its path and line.
package enum ArticleLoader {
    package static func load(path: String) throws -> [KnowledgeArticle] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw JSONLinesError(file: path, line: 0, reason: "no such file or folder")
        }
        var articles: [KnowledgeArticle] = []
        if isFolder.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for name in names where name.hasSuffix(".md") || name.hasSuffix(".jsonl") {
                articles += try load(path: URL(fileURLWithPath: path).appendingPathComponent(name).path)
            }
        } else if path.hasSuffix(".jsonl") || path.hasSuffix(".json") {
            articles = try JSONLines.read(KnowledgeArticle.self, from: path)
            for (index, article) in articles.enumerated() { try validate(article, file: path, line: index + 1) }
        } else {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw JSONLinesError(file: path, line: 0, reason: "cannot be read as UTF-8")
            }
            articles = [try markdown(text, file: path)]
        }
        var seen: Set<String> = []
        for article in articles where !seen.insert(article.id).inserted {
            throw JSONLinesError(file: path, line: 0, reason: "article id \"\(article.id)\" appears twice")
        }
        return articles
    }

    /// One Markdown article: `---`, `key: value` lines, `---`, then the body.
    package static func markdown(_ text: String, file: String) throws -> KnowledgeArticle {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw JSONLinesError(file: file, line: 1, reason: "expected front matter starting with ---")
        }
        var fields: [String: (value: String, line: Int)] = [:]
        var end: Int?
        for index in 1..<lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces) == "---" {
                end = index
                break
            }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw JSONLinesError(file: file, line: index + 1, reason: "expected \"key: value\"")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard ["id", "title", "lang", "tags", "status"].contains(key) else {
                throw JSONLinesError(file: file, line: index + 1, reason: "unknown front matter key \"\(key)\"")
            }
            fields[key] = (unquote(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)), index + 1)
        }
        guard let end else { throw JSONLinesError(file: file, line: lines.count, reason: "front matter is not closed with ---") }
        for key in ["id", "title"] where (fields[key]?.value ?? "").isEmpty {
            throw JSONLinesError(file: file, line: fields[key]?.line ?? 1, reason: "front matter needs \"\(key)\"")
        }
        var tags: [String] = []
        if let raw = fields["tags"]?.value, !raw.isEmpty {
            guard raw.hasPrefix("["), raw.hasSuffix("]") else {
                throw JSONLinesError(file: file, line: fields["tags"]!.line, reason: "tags must be a list like [a, b]")
            }
            tags = raw.dropFirst().dropLast().split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }.filter {
                !$0.isEmpty
            }
        }
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let article = KnowledgeArticle(
            id: fields["id"]!.value, title: fields["title"]!.value, lang: fields["lang"]?.value ?? "zh", tags: tags,
            status: fields["status"]?.value ?? "published", body: body)
        try validate(article, file: file, line: fields["status"]?.line ?? fields["lang"]?.line ?? 1)
        return article
    }

    /// The rules every article keeps, wherever it comes from.
    package static func problem(with article: KnowledgeArticle) -> String? {
        if article.id.isEmpty || article.id.count > 100
            || !article.id.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))
            })
        {
            return "id must be 1 to 100 ASCII letters, digits, '-', '_' or '.'"
        }
        if article.title.trimmingCharacters(in: .whitespaces).isEmpty { return "title must not be empty" }
        if !["zh", "en"].contains(article.lang) { return "lang must be zh or en" }
        if !KnowledgeArticle.statuses.contains(article.status) { return "status must be published or draft" }
        if article.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "body must not be empty" }
        return nil
    }

    private static func validate(_ article: KnowledgeArticle, file: String, line: Int) throws {
        if let problem = problem(with: article) { throw JSONLinesError(file: file, line: line, reason: "\(article.id): \(problem)") }
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, (text.hasPrefix("\"") && text.hasSuffix("\"")) || (text.hasPrefix("'") && text.hasSuffix("'")) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
