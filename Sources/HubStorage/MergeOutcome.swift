import Foundation
import HubCore

/// The result of a manual merge.
public struct MergeOutcome: Sendable, Hashable, Encodable {
    /// The merge that joined the two, or `nil` when they were already one by earlier merges.
    public var merge: MergeView?
    /// The surviving customer.
    public var customer: CustomerID
    /// False when nothing changed.
    public var created: Bool

    public init(merge: MergeView?, customer: CustomerID, created: Bool) {
        self.merge = merge
        self.customer = customer
        self.created = created
    }
}
