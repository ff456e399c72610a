/// What assist read in one customer message.
package struct MessageAnalysis: Sendable, Hashable, Codable {
    /// One of the twelve intents, or `other` when the model is not confident enough.
    package var intent: String
    /// The calibrated probability of the model's best intent (also when `intent` is `other`).
    package var confidence: Double
    /// The three likeliest intents with their probabilities, best first.
    package var top: [ScoredLabel]
    package var sentiment: String
    package var sentimentConfidence: Double
    package var language: String
    /// The model that read it (`m-…`), and whether a model endpoint gave a second opinion.
    package var model: String?
    package var source: String?

    package init(
        intent: String, confidence: Double, top: [ScoredLabel], sentiment: String, sentimentConfidence: Double, language: String,
        model: String? = nil, source: String? = nil
    ) {
        self.model = model
        self.source = source
        self.intent = intent
        self.confidence = confidence
        self.top = top
        self.sentiment = sentiment
        self.sentimentConfidence = sentimentConfidence
        self.language = language
    }

    enum CodingKeys: String, CodingKey {
        case intent, confidence, top, sentiment
        case sentimentConfidence = "sentiment_confidence"
        case language, model, source
    }
}

/// A label with its probability.
package struct ScoredLabel: Sendable, Hashable, Codable {
    package var label: String
    package var probability: Double

    package init(label: String, probability: Double) {
        self.label = label
        self.probability = probability
    }
}
