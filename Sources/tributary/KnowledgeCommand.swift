import ArgumentParser
import Assist
import Foundation
import HubCore
import HubStorage

/// `tributary kb`: the knowledge base in the hub's database.
struct KnowledgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Manage the knowledge base.", subcommands: [ImportArticles.self])

    struct ImportArticles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import articles (Markdown files with front matter, or JSON Lines); each changed article becomes a new version.")

        @OptionGroup var options: ManifestOption
        @Argument(help: "A .md or .jsonl file, or a folder of them.") var path: String

        func run() async throws {
            let manifest = try options.load()
            let articles: [KnowledgeArticle]
            do {
                articles = try ArticleLoader.load(path: path)
            } catch let error as JSONLinesError {
                throw ValidationError(error.description)
            }
            let store = KnowledgeStore(database: try HubDatabase.open(path: manifest.server.databasePath)) {
                LineDiff.unified(from: $0, to: $1)
            }
            let counts = try await store.importArticles(articles, author: "cli:import", now: Date())
            print(
                "\(articles.count) articles: \(counts.created) created, \(counts.updated) updated (a new version each), \(counts.unchanged) unchanged"
            )
        }
    }
}
