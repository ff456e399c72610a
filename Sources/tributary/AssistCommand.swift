import ArgumentParser
import Assist
import Foundation
import HubCore
import HubServer

/// `tributary assist`: train the text model and measure it.
struct AssistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assist", abstract: "Train and evaluate the intent and sentiment model.", subcommands: [Train.self, Eval.self])

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on intents-train.jsonl, calibrate on intents-dev.jsonl, report the dev split and k-fold cross-validation.")

        @OptionGroup var options: ManifestOption
        @Option(help: "The folder with intents-train.jsonl and intents-dev.jsonl (default: assist.training_data).") var data: String?
        @Option(help: "Where to write the model (default: assist.model, or assist-model.bin beside the database).") var out: String?
        @Option(help: "Folds of the cross-validation (0 skips it).") var folds: Int = 5
        @Flag(help: "Print one JSON object with the figures.") var json = false

        func run() throws {
            let manifest = try options.load()
            let folder = data ?? manifest.assist.trainingData
            let set = try loadTrainingSet(folder)
            let start = Date()
            let model = AssistTrainer().train(set.training, calibration: set.development)
            let seconds = Date().timeIntervalSince(start)
            let path = out ?? manifest.assist.modelFile(databasePath: manifest.server.databasePath)
            try ModelFile.write(model, to: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let dev = IntentEvaluation.evaluate(model, on: set.development, minConfidence: manifest.assist.minConfidence)
            let crossValidation =
                folds > 1
                ? CrossValidation.run(
                    set.training + set.development, folds: folds, trainer: AssistTrainer(), minConfidence: manifest.assist.minConfidence)
                : []
            if json {
                let summary = TrainingSummary(
                    model: model.version, path: path, bytes: size, seconds: seconds, training: set.training.count,
                    development: set.development.count, dev: dev.withoutResults, folds: crossValidation.map(\.withoutResults))
                print(try encodeJSON(summary))
                return
            }
            print("trained \(model.version) on \(set.training.count) messages in \(String(format: "%.2f", seconds)) s")
            print(
                "calibrated on \(set.development.count) dev messages: intent temperature \(String(format: "%.2f", model.intents.temperature)), tone temperature \(String(format: "%.2f", model.sentiments.temperature))"
            )
            print("wrote \(path) (\(size / 1024) KiB)")
            print("")
            print("dev split (\(set.development.count) messages, min_confidence \(manifest.assist.minConfidence)):")
            printSummary(dev)
            if !crossValidation.isEmpty {
                print("")
                print("\(folds)-fold cross-validation over all \(set.training.count + set.development.count) messages:")
                for (name, values) in [
                    ("accuracy", crossValidation.map(\.accuracy)), ("macro-F1", crossValidation.map(\.macroF1)),
                    ("ECE", crossValidation.map(\.ece)), ("needs-care recall", crossValidation.map { $0.needsCareRecall ?? 0 }),
                    ("needs-care precision", crossValidation.map { $0.needsCarePrecision ?? 0 }),
                ] {
                    print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(spread(values))")
                }
            }
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the model on a labelled file, or the knowledge base on questions.",
            subcommands: [Intents.self, Knowledge.self, Dialogues.self])
    }

    struct Intents: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, macro-F1, per-label precision and recall, confusion, ECE, sentiment and needs-care figures.")

        @OptionGroup var options: ManifestOption
        @Argument(help: "JSON Lines: {\"text\", \"lang\", \"intent\", \"sentiment\"?} a line.") var file: String
        @Option(help: "The model file (default: the manifest's; trained from assist.training_data when missing).") var model: String?
        @Option(help: "Below this confidence an intent is 'other' (default: assist.min_confidence).") var minConfidence: Double?
        @Flag(help: "Print one JSON object with the figures and a result per line.") var json = false

        func run() throws {
            let manifest = try options.load()
            let messages = try readJSONLines(LabelledMessage.self, file)
            let loaded = try loadModel(
                path: model ?? manifest.assist.modelFile(databasePath: manifest.server.databasePath), manifest: manifest)
            let report = IntentEvaluation.evaluate(loaded, on: messages, minConfidence: minConfidence ?? manifest.assist.minConfidence)
            if json {
                print(try encodeJSON(report))
                return
            }
            print("\(messages.count) messages, model \(loaded.version)")
            printSummary(report)
            print("")
            print("per label          precision  recall     F1  support")
            for label in report.labels {
                guard let score = report.perLabel[label] else { continue }
                print(
                    "  \(label.padding(toLength: 18, withPad: " ", startingAt: 0))"
                        + String(format: "%7.3f  %6.3f  %5.3f  %7d", score.precision, score.recall, score.f1, score.support))
            }
            print("")
            let used = report.labels.indices.filter { index in
                report.confusion[index].reduce(0, +) > 0 || report.confusion.map { $0[index] }.reduce(0, +) > 0
            }
            print("confusion (rows: truth, columns: prediction, in this order: \(used.map { report.labels[$0] }.joined(separator: ", ")))")
            for row in used {
                let cells = used.map { String(format: "%4d", report.confusion[row][$0]) }.joined()
                print("  \(report.labels[row].padding(toLength: 18, withPad: " ", startingAt: 0))\(cells)")
            }
        }
    }

    struct Knowledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kb",
            abstract: "Top-1 and top-3 over answerable questions, decline recall and false declines, p99 latency.")

        @OptionGroup var options: ManifestOption
        @Argument(help: "JSON Lines: {\"text\", \"lang\", \"answer_ids\": [...]} a line; [] = cannot be answered.") var questions: String
        @Option(help: "The articles: a JSON Lines file or a folder of Markdown files.") var kb: String
        @Option(help: "A synonyms file (default: assist.synonyms, or synonyms.txt of the training data).") var synonyms: String?
        @Option(help: "The evidence an answer needs (default: assist.kb_threshold, or the calibrated default).") var threshold: Double?
        @Flag(help: "Calibrate the threshold on these questions and report with it.") var calibrate = false
        @Flag(help: "Print one JSON object with the figures and a result per line.") var json = false

        func run() throws {
            let manifest = try options.load()
            let articles = try ArticleLoader.load(path: kb)
            let asked = try readJSONLines(KnowledgeQuestion.self, questions)
            let synonymsPath = synonyms ?? manifest.assist.synonymsFile
            let words = FileManager.default.fileExists(atPath: synonymsPath) ? try Synonyms.load(path: synonymsPath) : Synonyms()
            var index = KnowledgeIndex(articles: articles, synonyms: words, answerThreshold: threshold ?? manifest.assist.kbThreshold)
            if calibrate { index.answerThreshold = KnowledgeEvaluation.calibrateThreshold(index, on: asked) }
            let report = KnowledgeEvaluation.evaluate(index, on: asked)
            if json {
                print(try encodeJSON(report))
                return
            }
            print(
                "\(asked.count) questions (\(report.answerable) answerable, \(report.unanswerable) not) over \(index.entries.count) published articles"
            )
            print("  top-1                \(percent(report.top1))")
            print("  top-3                \(percent(report.top3))")
            print("  declined (of unanswerable)   \(percent(report.declineRecall))")
            print("  wrongly declined (of answerable)   \(percent(report.falseDeclineRate))")
            print(
                "  threshold            \(String(format: "%.2f", report.threshold))\(calibrate ? " (calibrated on these questions)" : "")")
            print("  p99 latency          \(String(format: "%.3f", report.p99Ms)) ms")
        }
    }
}

extension AssistCommand {
    struct Dialogues: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the bot on dialogues: pass rate, self-service rate, hand-off accuracy, invented facts, leaks, p99 latency.")

        @OptionGroup var options: ManifestOption
        @Argument(help: "JSON Lines: {\"id\", \"now\", \"turns\", \"orders\", \"expected\"} a line (../shared/ASSIST.md).") var file: String
        @Option(help: "The model file (default: the manifest's; trained from assist.training_data when missing).") var model: String?
        @Option(help: "The articles: a JSON Lines file or a folder of Markdown files (default: assist.knowledge_base).") var kb: String?
        @Option(help: "A synonyms file (default: assist.synonyms).") var synonyms: String?
        @Option(help: "The reply form: text, short (SMS), mail or rich (web chat).") var style = "text"
        @Flag(help: "Print one JSON object with the figures and a result per dialogue.") var json = false
        @Flag(help: "Print every failed dialogue with its reply.") var verbose = false

        func run() async throws {
            let manifest = try options.load()
            let dialogues = try readJSONLines(Dialogue.self, file)
            let loaded = try loadModel(
                path: model ?? manifest.assist.modelFile(databasePath: manifest.server.databasePath), manifest: manifest)
            guard let articlesPath = kb ?? manifest.assist.knowledgeBase else {
                throw ValidationError("name the articles with --kb, or set assist.knowledge_base")
            }
            let articles = try ArticleLoader.load(path: articlesPath)
            let synonymsPath = synonyms ?? manifest.assist.synonymsFile
            let words = FileManager.default.fileExists(atPath: synonymsPath) ? try Synonyms.load(path: synonymsPath) : Synonyms()
            let evaluation = DialogueEvaluation(
                model: loaded, articles: articles, synonyms: words, threshold: manifest.assist.kbThreshold,
                minConfidence: manifest.assist.minConfidence, style: style)
            let report = try await evaluation.run(dialogues)
            if json {
                print(try encodeJSON(report))
                return
            }
            if verbose {
                for result in report.results where !result.passed {
                    print("✗ \(result.id): \(result.failures.joined(separator: "; "))")
                    print("    \(result.reply.replacingOccurrences(of: "\n", with: "\n    "))")
                }
                print("")
            }
            let handoffs = dialogues.filter(\.expected.handoff).count
            print(
                "\(report.dialogues) dialogues (\(report.dialogues - handoffs) to answer, \(handoffs) to hand off), model \(loaded.version)"
            )
            print("  pass rate            \(percent(report.passRate))")
            print("  self-service rate    \(percent(report.selfServiceRate))")
            print(
                "  hand-off accuracy    \(percent(report.handoffAccuracy))  precision \(percent(report.handoffPrecision))  recall \(percent(report.handoffRecall))"
            )
            print("  invented facts       \(report.inventedFacts)")
            print("  leaks                \(report.leaks)")
            print(
                "  latency              p50 \(String(format: "%.2f", report.p50Ms)) ms  p99 \(String(format: "%.2f", report.p99Ms)) ms (context, decision and reply stored)"
            )
        }
    }
}

/// What `assist train --json` prints.
struct TrainingSummary: Encodable {
    var model: String
    var path: String
    var bytes: Int
    var seconds: Double
    var training: Int
    var development: Int
    var dev: IntentReport
    var folds: [IntentReport]
}

extension IntentReport {
    /// The figures without the per-line results (for summaries).
    var withoutResults: IntentReport {
        var copy = self
        copy.results = []
        return copy
    }
}

func loadTrainingSet(_ folder: String) throws -> TrainingSet {
    do {
        return try TrainingSet.load(folder: folder)
    } catch let error as JSONLinesError {
        throw ValidationError(error.description)
    }
}

func readJSONLines<Row: Decodable>(_ type: Row.Type, _ path: String) throws -> [Row] {
    do {
        return try JSONLines.read(type, from: path)
    } catch let error as JSONLinesError {
        throw ValidationError(error.description)
    }
}

/// The model at `path`, or one trained in memory from the manifest's training data.
func loadModel(path: String, manifest: Manifest) throws -> AssistModel {
    do {
        return try ModelFile.read(from: path)
    } catch {
        var standardError = StandardError()
        print("\(error); training from \(manifest.assist.trainingData) (run `tributary assist train` to keep one)", to: &standardError)
        let set = try loadTrainingSet(manifest.assist.trainingData)
        return AssistTrainer().train(set.training, calibration: set.development)
    }
}

func printSummary(_ report: IntentReport) {
    print("  accuracy             \(percent(report.accuracy))")
    print("  macro-F1             \(String(format: "%.3f", report.macroF1))")
    print("  ECE                  \(String(format: "%.3f", report.ece))")
    if let value = report.sentimentAccuracy { print("  sentiment accuracy   \(percent(value))") }
    if let value = report.needsCareRecall { print("  needs-care recall    \(percent(value))") }
    if let value = report.needsCarePrecision { print("  needs-care precision \(percent(value))") }
    print("  p99 latency          \(String(format: "%.3f", report.p99Ms)) ms")
}

func percent(_ value: Double) -> String {
    String(format: "%.1f %%", value * 100)
}

/// "mean ± standard deviation (min–max)".
func spread(_ values: [Double]) -> String {
    guard !values.isEmpty else { return "-" }
    let mean = values.reduce(0, +) / Double(values.count)
    let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    return String(format: "%.3f ± %.3f (%.3f–%.3f)", mean, deviation, values.min()!, values.max()!)
}

func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
