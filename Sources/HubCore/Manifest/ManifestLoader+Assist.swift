/// The manifest's `assist:` section.
extension ManifestValidation {
    mutating func assistSettings(_ node: ConfigNode) -> AssistSettings {
        var settings = AssistSettings()
        guard checks.requireMap(node, "assist") else { return settings }
        checks.checkKeys(
            node, "assist",
            allowed: [
                "enabled", "model", "training_data", "knowledge_base", "synonyms", "min_confidence", "kb_threshold", "llm", "embeddings",
            ])
        if let flag = node["enabled"], let text = scalar(flag, "assist.enabled") {
            switch text {
            case "true": settings.enabled = true
            case "false": settings.enabled = false
            default: checks.report(flag, "assist.enabled", "expected true or false, found '\(text)'")
            }
        }
        if let value = node["model"].flatMap({ scalar($0, "assist.model") }) { settings.modelPath = value }
        if let value = node["training_data"].flatMap({ scalar($0, "assist.training_data") }) { settings.trainingData = value }
        if let value = node["knowledge_base"].flatMap({ scalar($0, "assist.knowledge_base") }) { settings.knowledgeBase = value }
        if let value = node["synonyms"].flatMap({ scalar($0, "assist.synonyms") }) { settings.synonyms = value }
        if let value = node["min_confidence"].flatMap({ fraction($0, "assist.min_confidence", in: 0...1) }) {
            settings.minConfidence = value
        }
        if let value = node["kb_threshold"].flatMap({ fraction($0, "assist.kb_threshold", in: 0...1_000) }) { settings.kbThreshold = value }
        if let llm = node["llm"] { settings.llm = modelEndpoint(llm, "assist.llm") }
        if let embeddings = node["embeddings"] { settings.embeddings = modelEndpoint(embeddings, "assist.embeddings") }
        return settings
    }

    private mutating func modelEndpoint(_ node: ConfigNode, _ path: String) -> ModelEndpoint? {
        guard checks.requireMap(node, path) else { return nil }
        checks.checkKeys(node, path, allowed: ["base_url", "model", "api_key", "timeout"])
        let base = checks.required(node, "base_url", path).flatMap { scalar($0, "\(path).base_url") }
        let model = checks.required(node, "model", path).flatMap { scalar($0, "\(path).model") }
        var apiKey: String?
        if let keyNode = node["api_key"] { apiKey = secret(keyNode, "\(path).api_key") }
        var timeout = Duration.seconds(3)
        if let value = node["timeout"].flatMap({ duration($0, "\(path).timeout") }) { timeout = value }
        guard let base, let model, let baseNode = node["base_url"],
            checkURL(base, schemes: ["http", "https"], node: baseNode, path: "\(path).base_url")
        else { return nil }
        return ModelEndpoint(baseURL: base, model: model, apiKey: apiKey, timeout: timeout)
    }

    private mutating func fraction(_ node: ConfigNode, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard let text = scalar(node, path) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            checks.report(node, path, "expected a number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
            return nil
        }
        return value
    }
}
