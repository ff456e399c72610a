import Foundation

/// TF-IDF over hashed features: a feature counts `1 + ln(tf)` times its inverse document
/// frequency, and each vector has unit length, so long and short messages weigh alike.
package struct Vectorizer: Sendable {
    package let tokenizer: Tokenizer
    package let hasher: FeatureHasher
    /// Inverse document frequency per bucket; 0 for buckets training never saw (their features are dropped).
    package private(set) var idf: [Float]

    package init(tokenizer: Tokenizer = Tokenizer(), hasher: FeatureHasher, idf: [Float]) {
        self.tokenizer = tokenizer
        self.hasher = hasher
        self.idf = idf
    }

    /// Learns the document frequencies of `texts`.
    package static func fit(_ texts: [String], tokenizer: Tokenizer = Tokenizer(), hasher: FeatureHasher = FeatureHasher()) -> Vectorizer {
        var documentFrequency = [Int32](repeating: 0, count: hasher.dimension)
        for text in texts {
            let buckets = Set(tokenizer.features(of: text).map(hasher.bucket))
            for bucket in buckets { documentFrequency[Int(bucket)] += 1 }
        }
        let count = Float(texts.count)
        let idf = documentFrequency.map { $0 == 0 ? 0 : log((1 + count) / (1 + Float($0))) + 1 }
        return Vectorizer(tokenizer: tokenizer, hasher: hasher, idf: idf)
    }

    /// A word gives a dozen character 3–5-grams: at full weight they drown the words and
    /// CJK n-grams. At a quarter they still catch typos and inflections (cross-validation on
    /// our data: 88.2 % → 89.2 % intent accuracy).
    static let characterGramWeight: Float = 0.25

    /// The unit-length TF-IDF vector of `text`. Features never seen in training are dropped:
    /// the model has no weight for them.
    package func vector(_ text: String) -> SparseVector {
        var counts: [Int32: Float] = [:]
        for feature in tokenizer.features(of: text) {
            counts[hasher.bucket(feature), default: 0] += feature.hasPrefix("c:") ? Self.characterGramWeight : 1
        }
        var vector = SparseVector()
        vector.indices.reserveCapacity(counts.count)
        vector.values.reserveCapacity(counts.count)
        var norm: Float = 0
        for (bucket, count) in counts.sorted(by: { $0.key < $1.key }) {
            let weight = idf[Int(bucket)]
            guard weight > 0 else { continue }
            // Sublinear above one occurrence, linear below (where character grams' counts are).
            let value = (count >= 1 ? 1 + log(count) : count) * weight
            vector.indices.append(bucket)
            vector.values.append(value)
            norm += value * value
        }
        if norm > 0 {
            let scale = 1 / norm.squareRoot()
            for index in vector.values.indices { vector.values[index] *= scale }
        }
        return vector
    }
}
