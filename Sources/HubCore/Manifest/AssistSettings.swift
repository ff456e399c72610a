/// The manifest's `assist:` section: the text model, the knowledge base, and the optional
/// model endpoints. Everything has a default; with no section at all, assist runs on the
/// model trained from `samples/assist/`.
package struct AssistSettings: Sendable, Hashable {
    /// Whether the hub analyses messages at all.
    package var enabled: Bool
    /// Where the trained model is kept; nil: `assist-model.bin` beside the database.
    package var modelPath: String?
    /// The labelled messages the hub trains from when no model exists yet.
    package var trainingData: String
    /// Articles imported into an empty knowledge base at first start (a folder or a JSONL file).
    package var knowledgeBase: String?
    /// The synonyms file search expands questions with.
    package var synonyms: String?
    /// Below this calibrated confidence an intent is `other`.
    package var minConfidence: Double
    /// The evidence a knowledge-base answer needs; nil: the calibrated default.
    package var kbThreshold: Double?
    /// An OpenAI-compatible chat model for a second opinion on low-confidence intents.
    package var llm: ModelEndpoint?
    /// An OpenAI-compatible embeddings model that re-ranks knowledge-base candidates.
    package var embeddings: ModelEndpoint?

    package init(
        enabled: Bool = true, modelPath: String? = nil, trainingData: String = "samples/assist", knowledgeBase: String? = nil,
        synonyms: String? = nil, minConfidence: Double = 0.3, kbThreshold: Double? = nil, llm: ModelEndpoint? = nil,
        embeddings: ModelEndpoint? = nil
    ) {
        self.enabled = enabled
        self.modelPath = modelPath
        self.trainingData = trainingData
        self.knowledgeBase = knowledgeBase
        self.synonyms = synonyms
        self.minConfidence = minConfidence
        self.kbThreshold = kbThreshold
        self.llm = llm
        self.embeddings = embeddings
    }

    /// The synonyms file search reads: `synonyms`, or `synonyms.txt` of the training data.
    package var synonymsFile: String {
        synonyms ?? trainingData + "/synonyms.txt"
    }

    /// The model file for a hub whose database is at `databasePath`.
    package func modelFile(databasePath: String) -> String {
        if let modelPath { return modelPath }
        let folder = databasePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/assist-model.bin"
    }
}

/// An OpenAI-compatible API (`/v1/chat/completions`, `/v1/embeddings`).
package struct ModelEndpoint: Sendable, Hashable {
    package var baseURL: String
    package var model: String
    package var apiKey: String?
    package var timeout: Duration

    package init(baseURL: String, model: String, apiKey: String? = nil, timeout: Duration = .seconds(3)) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
    }
}
