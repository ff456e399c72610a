import Assist
import Foundation
import HubCore

/// The hub's text understanding: the trained model, the confidence below which an intent is
/// `other`, and, when configured, a chat model's second opinion on low-confidence intents.
struct AssistEngine: Sendable {
    let model: AssistModel
    let minConfidence: Double
    let secondOpinion: IntentSecondOpinion?

    /// Reads one customer message. A second opinion is asked only when the model is unsure,
    /// and only an answer that is one of the labels counts; any failure keeps the local result.
    func analyze(_ text: String) async -> MessageAnalysis {
        var analysis = model.analyze(text, minConfidence: minConfidence)
        analysis.model = model.version
        analysis.source = "model"
        if let secondOpinion, analysis.confidence < minConfidence, !text.isEmpty,
            let intent = await secondOpinion.intent(of: text, candidates: analysis.top.map(\.label))
        {
            analysis.intent = intent
            analysis.source = "llm"
        }
        return analysis
    }
}
