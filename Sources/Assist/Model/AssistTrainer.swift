package import Foundation
import HubCore

/// Trains the intent and sentiment classifiers from labelled messages and calibrates them on
/// a split they did not see. Deterministic: the same files give the same model, byte for byte.
package struct AssistTrainer: Sendable {
    package var hashBits = 18
    package var intentTrainer: SoftmaxTrainer
    package var sentimentTrainer: SoftmaxTrainer

    package init() {
        intentTrainer = SoftmaxTrainer()
        sentimentTrainer = SoftmaxTrainer()
    }

    /// Trains on `training` and fits both temperatures on `calibration`.
    package func train(_ training: [LabelledMessage], calibration: [LabelledMessage]) -> AssistModel {
        let vectorizer = Vectorizer.fit(training.map(\.text), hasher: FeatureHasher(bits: hashBits))
        let vectors = training.map { vectorizer.vector($0.text) }
        let intentLabels = AssistLabels.intents
        let intentIndex = Dictionary(uniqueKeysWithValues: intentLabels.enumerated().map { ($1, $0) })
        let intentRows = training.indices.filter { intentIndex[training[$0].intent] != nil }
        var intents = intentTrainer.train(
            intentRows.map { vectors[$0] }, labels: intentRows.map { intentIndex[training[$0].intent]! }, labelNames: intentLabels,
            dimension: vectorizer.hasher.dimension)

        let toneVectorizer = Vectorizer.fit(
            training.map(\.text), tokenizer: Tokenizer(purpose: .tone), hasher: FeatureHasher(bits: hashBits))
        let toneVectors = training.map { toneVectorizer.vector($0.text) }
        let toneLabels = AssistLabels.sentiments
        let toneIndex = Dictionary(uniqueKeysWithValues: toneLabels.enumerated().map { ($1, $0) })
        let toneRows = training.indices.filter { training[$0].sentiment.flatMap { toneIndex[$0] } != nil }
        var toneTrainer = sentimentTrainer
        toneTrainer.labelWeights = Self.balancedWeights(toneRows.map { training[$0].sentiment! }, labels: toneLabels)
        var sentiments = toneTrainer.train(
            toneRows.map { toneVectors[$0] }, labels: toneRows.map { toneIndex[training[$0].sentiment!]! }, labelNames: toneLabels,
            dimension: vectorizer.hasher.dimension)

        let held = calibration.map { ($0, vectorizer.vector($0.text), toneVectorizer.vector($0.text)) }
        let intentHeld = held.filter { intentIndex[$0.0.intent] != nil }
        intents.temperature = TemperatureScaling.fit(
            logits: intentHeld.map { intents.logits($0.1) }, labels: intentHeld.map { intentIndex[$0.0.intent]! })
        let toneHeld = held.filter { $0.0.sentiment.flatMap { toneIndex[$0] } != nil }
        sentiments.temperature = TemperatureScaling.fit(
            logits: toneHeld.map { sentiments.logits($0.2) }, labels: toneHeld.map { toneIndex[$0.0.sentiment!]! })
        return AssistModel(
            vectorizer: vectorizer, toneVectorizer: toneVectorizer, intents: intents, sentiments: sentiments,
            version: version(of: training + calibration))
    }

    /// Square-root inverse frequency: rare tones (angry) count more without swamping the rest.
    static func balancedWeights(_ values: [String], labels: [String]) -> [String: Float] {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let mean = Float(values.count) / Float(max(1, counts.count))
        var weights: [String: Float] = [:]
        for label in labels {
            guard let count = counts[label], count > 0 else { continue }
            weights[label] = (mean / Float(count)).squareRoot()
        }
        return weights
    }

    /// "m-" and a digest of the data and the settings, so that two hubs can tell whether they
    /// run the same model.
    private func version(of messages: [LabelledMessage]) -> String {
        var text = "\(hashBits)|\(intentTrainer.epochs)|\(intentTrainer.learningRate)|\(intentTrainer.l2)|\(intentTrainer.seed)"
        for message in messages { text += "\n\(message.intent)|\(message.sentiment ?? "")|\(message.text)" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "m-" + String(hash, radix: 16)
    }
}

/// The training data of `samples/assist/`: `intents-train.jsonl` and `intents-dev.jsonl`.
package struct TrainingSet: Sendable {
    package var training: [LabelledMessage]
    package var development: [LabelledMessage]

    package init(training: [LabelledMessage], development: [LabelledMessage]) {
        self.training = training
        self.development = development
    }

    package static func load(folder: String) throws -> TrainingSet {
        let base = URL(fileURLWithPath: folder)
        return TrainingSet(
            training: try JSONLines.read(LabelledMessage.self, from: base.appendingPathComponent("intents-train.jsonl").path),
            development: try JSONLines.read(LabelledMessage.self, from: base.appendingPathComponent("intents-dev.jsonl").path))
    }
}
