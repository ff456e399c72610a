import Foundation

/// Trains a `LinearClassifier` by stochastic gradient descent on the cross-entropy with L2
/// regularisation, AdaGrad step sizes and a fixed shuffling seed: the same data always gives
/// the same model.
package struct SoftmaxTrainer: Sendable {
    package var epochs = 30
    package var learningRate: Float = 0.5
    package var l2: Float = 1e-5
    package var seed: UInt64 = 20_261_203
    /// Per-label weights of the loss (inverse frequency helps a rare tone be found).
    package var labelWeights: [String: Float] = [:]

    package init() {}

    package func train(_ vectors: [SparseVector], labels: [Int], labelNames: [String], dimension: Int) -> LinearClassifier {
        precondition(vectors.count == labels.count)
        var model = LinearClassifier(labels: labelNames, dimension: dimension)
        let classes = labelNames.count
        var squaredGradients = [Float](repeating: 1e-6, count: dimension * classes)
        var biasSquaredGradients = [Float](repeating: 1e-6, count: classes)
        let exampleWeights = labelNames.map { labelWeights[$0] ?? 1 }
        var order = Array(vectors.indices)
        var generator = SeededGenerator(seed: seed)
        var gradient = [Float](repeating: 0, count: classes)
        for _ in 0..<epochs {
            order.shuffle(using: &generator)
            for example in order {
                let vector = vectors[example]
                let probabilities = LinearClassifier.softmax(model.logits(vector))
                let weight = exampleWeights[labels[example]]
                for label in 0..<classes {
                    gradient[label] = (probabilities[label] - (label == labels[example] ? 1 : 0)) * weight
                }
                model.weights.withUnsafeMutableBufferPointer { weights in
                    squaredGradients.withUnsafeMutableBufferPointer { squared in
                        for (position, index) in vector.indices.enumerated() {
                            let value = vector.values[position]
                            let row = Int(index) * classes
                            for label in 0..<classes {
                                let slot = row + label
                                // L2 is applied to the weights this example touches (lazily), which keeps a step sparse.
                                let step = gradient[label] * value + l2 * weights[slot]
                                squared[slot] += step * step
                                weights[slot] -= learningRate * step / squared[slot].squareRoot()
                            }
                        }
                    }
                }
                for label in 0..<classes {
                    biasSquaredGradients[label] += gradient[label] * gradient[label]
                    model.bias[label] -= learningRate * gradient[label] / biasSquaredGradients[label].squareRoot()
                }
            }
        }
        return model
    }
}
