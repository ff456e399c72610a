/// A feature vector with few non-zero entries: bucket indices and their values.
package struct SparseVector: Sendable, Hashable {
    package var indices: [Int32]
    package var values: [Float]

    package init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }
}
