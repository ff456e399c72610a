import Foundation
package import HubCore

/// The trained text model: an intent and a sentiment classifier, each over its own features.
/// Inference is pure Swift and reads only this value, so one model serves any number of
/// concurrent callers.
package struct AssistModel: Sendable {
    package var vectorizer: Vectorizer
    package var toneVectorizer: Vectorizer
    package var intents: LinearClassifier
    package var sentiments: LinearClassifier
    /// Names what the model was trained from (a digest of the data and settings).
    package var version: String

    package init(
        vectorizer: Vectorizer, toneVectorizer: Vectorizer, intents: LinearClassifier, sentiments: LinearClassifier, version: String
    ) {
        self.vectorizer = vectorizer
        self.toneVectorizer = toneVectorizer
        self.intents = intents
        self.sentiments = sentiments
        self.version = version
    }

    /// Together, negative and angry at this probability or more make the message "need care":
    /// a missed upset customer costs more than a second look at a calm one. Chosen on the
    /// cross-validation of our own data (recall and precision cross near 0.8 there).
    package static let careThreshold: Float = 0.4

    /// The tone: the likelier of negative and angry when together they reach `careThreshold`,
    /// else the likelier of positive and neutral.
    static func tone(_ labels: [String], _ probabilities: [Float]) -> (String, Float) {
        let byLabel = Dictionary(uniqueKeysWithValues: zip(labels, probabilities))
        let negative = byLabel["negative"] ?? 0
        let angry = byLabel["angry"] ?? 0
        if negative + angry >= careThreshold { return angry > negative ? ("angry", angry) : ("negative", negative) }
        let positive = byLabel["positive"] ?? 0
        let neutral = byLabel["neutral"] ?? 0
        return positive > neutral ? ("positive", positive) : ("neutral", neutral)
    }

    /// Reads `text`. Below `minConfidence` the intent is `other` (the confidence and top 3 stay
    /// as the model saw them). Text with nothing the model knows is `other` and neutral.
    package func analyze(_ text: String, minConfidence: Double = 0) -> MessageAnalysis {
        let language = LanguageGuess.of(text) ?? "en"
        let vector = vectorizer.vector(text)
        guard !vector.indices.isEmpty else {
            return MessageAnalysis(
                intent: AssistLabels.otherIntent, confidence: 0, top: [], sentiment: "neutral", sentimentConfidence: 0,
                language: language)
        }
        let intentProbabilities = intents.probabilities(vector)
        let ranked = zip(intents.labels, intentProbabilities).sorted { $0.1 > $1.1 }
        let top = ranked.prefix(3).map { ScoredLabel(label: $0.0, probability: Double($0.1)) }
        let best = top[0]
        let toneProbabilities = sentiments.probabilities(toneVectorizer.vector(text))
        var tone = Self.tone(sentiments.labels, toneProbabilities)
        // A complaint is never calm (ASSIST.md): a confident complaint takes the likelier caring tone.
        if best.label == "complaint", best.probability >= 0.5, !AssistLabels.needsCare(tone.0) {
            let byLabel = Dictionary(uniqueKeysWithValues: zip(sentiments.labels, toneProbabilities))
            let angry = byLabel["angry"] ?? 0
            let negative = byLabel["negative"] ?? 0
            tone = angry > negative ? ("angry", angry) : ("negative", negative)
        }
        return MessageAnalysis(
            intent: best.probability >= minConfidence ? best.label : AssistLabels.otherIntent, confidence: best.probability,
            top: top, sentiment: tone.0, sentimentConfidence: Double(tone.1), language: language)
    }
}
