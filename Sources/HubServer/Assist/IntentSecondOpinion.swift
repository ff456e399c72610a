import Foundation
import HubCore
import HubCurl

/// Asks an OpenAI-compatible chat model (`POST {base_url}/chat/completions`) which intent a
/// message has, when the local model is unsure. The answer must be one of the labels; a
/// timeout, an error or anything else keeps the local result.
struct IntentSecondOpinion: Sendable {
    let endpoint: ModelEndpoint
    let client: CurlClient

    func intent(of text: String, candidates: [String]) async -> String? {
        let labels = AssistLabels.intents
        let prompt = """
            Classify the customer's message to an online shop's service desk. Answer with exactly one label from this list and \
            nothing else: \(labels.joined(separator: ", ")). The main request decides; an explicit request for a human is \
            human_agent. Likely labels: \(candidates.joined(separator: ", ")).
            """
        guard
            let content = await ModelEndpointCall.chat(
                endpoint, system: prompt, user: String(text.prefix(2_000)), temperature: 0, maxTokens: 12, client: client)
        else { return nil }
        let answer = content.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).lowercased()
        return labels.contains(answer) ? answer : nil
    }
}

/// One request to a model endpoint, with its timeout and key; nil on any failure.
enum ModelEndpointCall {
    /// `POST chat/completions` with a system and a user message; the first choice's text.
    static func chat(
        _ endpoint: ModelEndpoint, system: String, user: String, temperature: Double, maxTokens: Int, client: CurlClient
    ) async -> String? {
        let body: [String: Any] = [
            "model": endpoint.model, "temperature": temperature, "max_tokens": maxTokens,
            "messages": [["role": "system", "content": system], ["role": "user", "content": user]],
        ]
        guard let json = try? JSONSerialization.data(withJSONObject: body),
            let data = await post(endpoint, path: "chat/completions", body: json, client: client),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let choices = object["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any]
        else { return nil }
        return message["content"] as? String
    }

    static func post(_ endpoint: ModelEndpoint, path: String, body: Data, client: CurlClient) async -> Data? {
        var base = endpoint.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var headers = [("content-type", "application/json")]
        if let key = endpoint.apiKey { headers.append(("authorization", "Bearer \(key)")) }
        do {
            let response = try await client.perform(
                CurlRequest(
                    method: "POST", url: "\(base)/\(path)", headers: headers, body: Array(body), connectTimeout: endpoint.timeout,
                    timeout: endpoint.timeout, maxResponseBytes: 4 << 20))
            return response.isSuccess ? Data(response.body) : nil
        } catch {
            return nil
        }
    }
}
