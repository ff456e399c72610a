import Foundation
import HubCore
import HubCurl

/// Asks an OpenAI-compatible chat model (`assist.llm`) to reword the bot's answer. The model
/// gets only the answer the bot already built from the customer's data and the cited article,
/// and the question; what it returns is checked by the grounding guard like any reply.
struct BotPhraser: Sendable {
    let endpoint: ModelEndpoint
    let client: CurlClient

    func phrase(_ answer: String, language: String, question: String) async -> String? {
        let prompt = """
            You are the customer service assistant of an online shop. Rewrite the ANSWER so that it reads naturally as a reply to \
            the QUESTION, in \(language == "en" ? "English" : "Simplified Chinese"). Use only the facts in the ANSWER: never add \
            numbers, dates, times, amounts, order or tracking numbers, promises or compensation. Keep every order number and \
            tracking number exactly as written. Reply with the rewritten answer only.
            """
        guard
            let content = await ModelEndpointCall.chat(
                endpoint, system: prompt, user: "QUESTION: \(question.prefix(1_000))\nANSWER: \(answer)", temperature: 0.2,
                maxTokens: 400, client: client)
        else { return nil }
        let text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || text.count > 2_000 ? nil : text
    }
}
