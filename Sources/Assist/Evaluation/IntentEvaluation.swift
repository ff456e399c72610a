import Foundation
import HubCore

/// The figures of `tributary assist eval intents`, with the names of `../shared/ASSIST.md`.
package struct IntentReport: Sendable, Codable {
    package var count: Int
    package var accuracy: Double
    package var macroF1: Double
    package var perLabel: [String: LabelScore]
    /// The labels of `confusion`'s rows (truth) and columns (prediction), in order.
    package var labels: [String]
    package var confusion: [[Int]]
    package var ece: Double
    package var sentimentAccuracy: Double?
    package var needsCareRecall: Double?
    package var needsCarePrecision: Double?
    package var p99Ms: Double
    package var results: [IntentResult]

    enum CodingKeys: String, CodingKey {
        case count, accuracy, labels, confusion, ece, results
        case macroF1 = "macro_f1"
        case perLabel = "per_label"
        case sentimentAccuracy = "sentiment_accuracy"
        case needsCareRecall = "needs_care_recall"
        case needsCarePrecision = "needs_care_precision"
        case p99Ms = "p99_ms"
    }
}

/// Precision, recall and F1 of one label, and how many messages carry it.
package struct LabelScore: Sendable, Codable, Hashable {
    package var precision: Double
    package var recall: Double
    package var f1: Double
    package var support: Int
}

/// One input line's raw output, so that anyone can re-score it.
package struct IntentResult: Sendable, Codable, Hashable {
    package var intent: String
    package var confidence: Double
    package var sentiment: String

    package init(intent: String, confidence: Double, sentiment: String) {
        self.intent = intent
        self.confidence = confidence
        self.sentiment = sentiment
    }
}

/// Scores a model on labelled messages.
package enum IntentEvaluation {
    package static func evaluate(_ model: AssistModel, on messages: [LabelledMessage], minConfidence: Double) -> IntentReport {
        var results: [IntentResult] = []
        var durations: [Double] = []
        for message in messages {
            let start = DispatchTime.now().uptimeNanoseconds
            let analysis = model.analyze(message.text, minConfidence: minConfidence)
            durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            results.append(IntentResult(intent: analysis.intent, confidence: analysis.confidence, sentiment: analysis.sentiment))
        }
        return score(results, truth: messages, durations: durations)
    }

    /// The figures for `results` against the labels of `truth` (same order).
    package static func score(_ results: [IntentResult], truth: [LabelledMessage], durations: [Double] = []) -> IntentReport {
        var labels = AssistLabels.intents + [AssistLabels.otherIntent]
        for label in Set(truth.map(\.intent) + results.map(\.intent)) where !labels.contains(label) { labels.append(label) }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var right = 0
        var confidences: [Float] = []
        var correct: [Bool] = []
        var toneRight = 0
        var toneCount = 0
        var careTrue = 0
        var carePredicted = 0
        var careBoth = 0
        for (result, message) in zip(results, truth) {
            confusion[index[message.intent]!][index[result.intent]!] += 1
            if result.intent == message.intent { right += 1 }
            confidences.append(Float(result.confidence))
            correct.append(result.intent == message.intent)
            guard let tone = message.sentiment else { continue }
            toneCount += 1
            if tone == result.sentiment { toneRight += 1 }
            let isCare = AssistLabels.needsCare(tone)
            let saidCare = AssistLabels.needsCare(result.sentiment)
            if isCare { careTrue += 1 }
            if saidCare { carePredicted += 1 }
            if isCare && saidCare { careBoth += 1 }
        }
        var perLabel: [String: LabelScore] = [:]
        var f1Sum = 0.0
        var f1Count = 0
        for (position, label) in labels.enumerated() {
            let support = confusion[position].reduce(0, +)
            let predicted = confusion.map { $0[position] }.reduce(0, +)
            guard support > 0 || predicted > 0 else { continue }
            let hits = Double(confusion[position][position])
            let precision = predicted > 0 ? hits / Double(predicted) : 0
            let recall = support > 0 ? hits / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perLabel[label] = LabelScore(precision: precision, recall: recall, f1: f1, support: support)
            // Macro-F1 averages over the labels that occur in the truth.
            if support > 0 {
                f1Sum += f1
                f1Count += 1
            }
        }
        return IntentReport(
            count: truth.count, accuracy: truth.isEmpty ? 0 : Double(right) / Double(truth.count),
            macroF1: f1Count > 0 ? f1Sum / Double(f1Count) : 0, perLabel: perLabel, labels: labels, confusion: confusion,
            ece: TemperatureScaling.expectedCalibrationError(confidences: confidences, correct: correct),
            sentimentAccuracy: toneCount > 0 ? Double(toneRight) / Double(toneCount) : nil,
            needsCareRecall: careTrue > 0 ? Double(careBoth) / Double(careTrue) : nil,
            needsCarePrecision: carePredicted > 0 ? Double(careBoth) / Double(carePredicted) : nil,
            p99Ms: Percentile.of(durations, 0.99), results: results)
    }
}

/// The k-fold cross-validation of the trainer on labelled messages: each fold is scored by a
/// model trained (and calibrated) on the other folds.
package enum CrossValidation {
    package static func run(_ messages: [LabelledMessage], folds: Int, trainer: AssistTrainer, minConfidence: Double) -> [IntentReport] {
        (0..<folds).map { fold in
            let held = messages.indices.filter { $0 % folds == fold }.map { messages[$0] }
            let rest = messages.indices.filter { $0 % folds != fold }.map { messages[$0] }
            // Calibrate on a slice of the training folds, never on the fold being scored.
            let calibration = rest.indices.filter { $0 % 6 == 0 }.map { rest[$0] }
            let training = rest.indices.filter { $0 % 6 != 0 }.map { rest[$0] }
            let model = trainer.train(training, calibration: calibration)
            return IntentEvaluation.evaluate(model, on: held, minConfidence: minConfidence)
        }
    }
}

/// Percentiles of measured durations.
package enum Percentile {
    package static func of(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }
}
