/// The histogram buckets of response and resolution times, in seconds: a percentile is exact to
/// its bucket (the answer is the upper bound of the bucket the rank falls in).
package enum DurationBuckets {
    /// Upper bounds; the last bucket (index `bounds.count`) is everything longer.
    package static let bounds: [Double] = [
        30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 86_400, 172_800, 345_600, 604_800,
    ]

    package static func bucket(seconds: Double) -> Int {
        bounds.firstIndex { seconds <= $0 } ?? bounds.count
    }

    /// The `quantile` (0...1) of a histogram, as its bucket's upper bound; `nil` when empty, and
    /// for the open last bucket its lower bound.
    package static func percentile(_ quantile: Double, counts: [Int: Int]) -> Double? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((quantile * Double(total)).rounded(.up)))
        var seen = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket] ?? 0
            if seen >= rank { return bucket < bounds.count ? bounds[bucket] : bounds[bounds.count - 1] }
        }
        return nil
    }
}
