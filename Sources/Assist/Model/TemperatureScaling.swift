import Foundation

/// Calibration: the temperature that makes a model's confidence match how often it is right
/// on data it did not train on (minimum negative log-likelihood, golden-section search).
package enum TemperatureScaling {
    package static func fit(logits: [[Float]], labels: [Int]) -> Float {
        guard !logits.isEmpty else { return 1 }
        func loss(_ temperature: Float) -> Float {
            var total: Float = 0
            for (row, label) in zip(logits, labels) {
                let probability = LinearClassifier.softmax(row, temperature: temperature)[label]
                total -= log(max(probability, 1e-9))
            }
            return total / Float(logits.count)
        }
        var low: Float = 0.05
        var high: Float = 10
        let ratio: Float = (Float(5).squareRoot() - 1) / 2
        var a = high - ratio * (high - low)
        var b = low + ratio * (high - low)
        var lossA = loss(a)
        var lossB = loss(b)
        for _ in 0..<60 {
            if lossA < lossB {
                high = b
                b = a
                lossB = lossA
                a = high - ratio * (high - low)
                lossA = loss(a)
            } else {
                low = a
                a = b
                lossA = lossB
                b = low + ratio * (high - low)
                lossB = loss(b)
            }
        }
        return (low + high) / 2
    }

    /// Expected calibration error over `bins` equal-width confidence bins: the mean gap
    /// between confidence and accuracy, weighted by how many predictions fall in each bin.
    package static func expectedCalibrationError(confidences: [Float], correct: [Bool], bins: Int = 10) -> Double {
        guard !confidences.isEmpty else { return 0 }
        var count = [Int](repeating: 0, count: bins)
        var confidenceSum = [Double](repeating: 0, count: bins)
        var correctSum = [Double](repeating: 0, count: bins)
        for (confidence, right) in zip(confidences, correct) {
            let bin = min(bins - 1, Int(Double(confidence) * Double(bins)))
            count[bin] += 1
            confidenceSum[bin] += Double(confidence)
            correctSum[bin] += right ? 1 : 0
        }
        var error = 0.0
        for bin in 0..<bins where count[bin] > 0 {
            error += Double(count[bin]) / Double(confidences.count) * abs(confidenceSum[bin] - correctSum[bin]) / Double(count[bin])
        }
        return error
    }
}
