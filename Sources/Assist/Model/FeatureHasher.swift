/// Maps feature strings to a fixed number of buckets (the hashing trick), so that the model
/// needs no vocabulary and an unseen word costs nothing. FNV-1a is stable across runs and
/// platforms, unlike Swift's seeded `Hasher`, which a saved model could not rely on.
package struct FeatureHasher: Sendable, Hashable {
    /// log2 of the number of buckets.
    package let bits: Int

    package init(bits: Int = 18) {
        self.bits = bits
    }

    package var dimension: Int { 1 << bits }

    package func bucket(_ feature: String) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in feature.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        // Fold the high bits in: FNV's low bits alone are weak for short keys.
        hash ^= hash >> 29
        return Int32(truncatingIfNeeded: hash & UInt64(dimension - 1))
    }
}
