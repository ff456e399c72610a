import Assist
import Foundation
import HubCore
import HubStorage
import Logging

/// Gets the model the hub runs on: the saved file, or, when there is none (or it cannot be
/// read), one trained from the training data and saved for the next start.
enum AssistBootstrap {
    static func model(settings: AssistSettings, databasePath: String, logger: Logger) -> AssistModel? {
        let path = settings.modelFile(databasePath: databasePath)
        do {
            let model = try ModelFile.read(from: path)
            logger.info("assist model loaded", metadata: ["path": .string(path), "model": .string(model.version)])
            return model
        } catch ModelFileError.missing {
            logger.notice("no assist model yet; training one", metadata: ["path": .string(path), "data": .string(settings.trainingData)])
        } catch {
            logger.error(
                "the assist model cannot be read; training a new one", metadata: ["path": .string(path), "error": "\(error)"])
        }
        do {
            let start = Date()
            let data = try TrainingSet.load(folder: settings.trainingData)
            let model = AssistTrainer().train(data.training, calibration: data.development)
            // The hub runs in memory on a file it could not write, and says so.
            do {
                try ModelFile.write(model, to: path)
            } catch {
                logger.error("the trained assist model cannot be saved", metadata: ["path": .string(path), "error": "\(error)"])
            }
            logger.notice(
                "assist model trained",
                metadata: [
                    "model": .string(model.version), "messages": "\(data.training.count + data.development.count)",
                    "seconds": "\(String(format: "%.1f", Date().timeIntervalSince(start)))",
                ])
            return model
        } catch {
            logger.error(
                "assist is off: no model and no training data; run `tributary assist train`",
                metadata: ["model": .string(path), "data": .string(settings.trainingData), "error": "\(error)"])
            return nil
        }
    }

    /// Imports `assist.knowledge_base` into a knowledge base that has no article yet (the
    /// first start); later starts leave the database's articles, and their versions, alone.
    static func seedKnowledgeBase(settings: AssistSettings, store: KnowledgeStore, logger: Logger) async throws {
        guard let path = settings.knowledgeBase, try await store.count() == 0 else { return }
        do {
            let articles = try ArticleLoader.load(path: path)
            let counts = try await store.importArticles(articles, author: "import", now: Date())
            logger.notice("knowledge base imported", metadata: ["path": .string(path), "articles": "\(counts.created)"])
        } catch let error as JSONLinesError {
            logger.error("the knowledge base cannot be imported", metadata: ["error": .string(error.description)])
        }
    }

    /// The synonyms file, when configured (or the sample one, when present).
    static func synonyms(settings: AssistSettings, logger: Logger) -> Synonyms {
        let path = settings.synonymsFile
        guard FileManager.default.fileExists(atPath: path) else { return Synonyms() }
        do {
            return try Synonyms.load(path: path)
        } catch {
            logger.error("the synonyms file cannot be read; searching without it", metadata: ["error": "\(error)"])
            return Synonyms()
        }
    }
}
