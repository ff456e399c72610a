import Assist
import Foundation
import HubCore
import HubCurl

/// Re-ranks the knowledge base's BM25 candidates by meaning, with an OpenAI-compatible
/// embeddings API (`POST {base_url}/embeddings`). Articles are embedded once per version and
/// remembered; a question costs one call. Any failure keeps the BM25 order, and the decision
/// whether the question is answerable stays BM25's (it was calibrated on it).
actor EmbeddingReranker {
    let endpoint: ModelEndpoint
    let client: CurlClient
    private var articleVectors: [String: [Double]] = [:]

    init(endpoint: ModelEndpoint, client: CurlClient) {
        self.endpoint = endpoint
        self.client = client
    }

    /// `hits` in a new order: half the BM25 score relative to the best, half the cosine
    /// similarity of the question and the article.
    func rerank(_ query: String, hits: [KnowledgeHit], texts: [String: String]) async -> [KnowledgeHit] {
        guard hits.count > 1, let best = hits.first?.score, best > 0 else { return hits }
        let missing = hits.filter { articleVectors[key($0)] == nil }
        let inputs = [query] + missing.map { texts[$0.id] ?? $0.title }
        guard let vectors = await embed(inputs), vectors.count == inputs.count else { return hits }
        for (hit, vector) in zip(missing, vectors.dropFirst()) { articleVectors[key(hit)] = vector }
        let question = vectors[0]
        let scored = hits.map { hit -> (KnowledgeHit, Double) in
            let similarity = articleVectors[key(hit)].map { Self.cosine(question, $0) } ?? 0
            return (hit, 0.5 * hit.score / best + 0.5 * similarity)
        }
        return scored.sorted { $0.1 > $1.1 }.map(\.0)
    }

    private func key(_ hit: KnowledgeHit) -> String { "\(hit.id)@\(hit.version)" }

    private func embed(_ inputs: [String]) async -> [[Double]]? {
        let body: [String: Any] = ["model": endpoint.model, "input": inputs.map { String($0.prefix(4_000)) }]
        guard let json = try? JSONSerialization.data(withJSONObject: body),
            let data = await ModelEndpointCall.post(endpoint, path: "embeddings", body: json, client: client),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rows = object["data"] as? [[String: Any]]
        else { return nil }
        // The API may answer out of order; each row names its input.
        var vectors = [[Double]?](repeating: nil, count: inputs.count)
        for (position, row) in rows.enumerated() {
            let index = row["index"] as? Int ?? position
            guard index < inputs.count, let values = row["embedding"] as? [Any] else { return nil }
            vectors[index] = values.compactMap { ($0 as? NSNumber)?.doubleValue }
        }
        return vectors.allSatisfy { $0 != nil } ? vectors.map { $0! } : nil
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        return normA > 0 && normB > 0 ? dot / (normA.squareRoot() * normB.squareRoot()) : 0
    }
}
