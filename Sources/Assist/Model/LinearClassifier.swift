import Foundation

/// A multinomial logistic regression over sparse vectors: one weight row per label and a
/// bias, with a temperature that calibrates its confidence.
package struct LinearClassifier: Sendable {
    package let labels: [String]
    package let dimension: Int
    /// Row-major by feature: `weights[feature * labels.count + label]`, so that one sparse
    /// vector reads contiguous memory.
    package var weights: [Float]
    package var bias: [Float]
    /// Logits are divided by this before the softmax (1 = as trained).
    package var temperature: Float

    package init(labels: [String], dimension: Int, weights: [Float]? = nil, bias: [Float]? = nil, temperature: Float = 1) {
        self.labels = labels
        self.dimension = dimension
        self.weights = weights ?? [Float](repeating: 0, count: dimension * labels.count)
        self.bias = bias ?? [Float](repeating: 0, count: labels.count)
        self.temperature = temperature
    }

    /// Raw scores (logits), one per label.
    package func logits(_ vector: SparseVector) -> [Float] {
        var scores = bias
        let classes = labels.count
        weights.withUnsafeBufferPointer { weights in
            for (position, index) in vector.indices.enumerated() {
                let value = vector.values[position]
                let row = Int(index) * classes
                for label in 0..<classes { scores[label] += weights[row + label] * value }
            }
        }
        return scores
    }

    /// Calibrated probabilities, one per label.
    package func probabilities(_ vector: SparseVector) -> [Float] {
        Self.softmax(logits(vector), temperature: temperature)
    }

    package static func softmax(_ logits: [Float], temperature: Float = 1) -> [Float] {
        let scaled = logits.map { $0 / temperature }
        let top = scaled.max() ?? 0
        let exponentials = scaled.map { exp($0 - top) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }
}
