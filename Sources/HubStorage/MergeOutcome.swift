import Foundation
package import HubCore

/// The result of a manual merge.
package struct MergeOutcome: Sendable, Hashable, Encodable {
    /// The merge that joined the two, or `nil` when they were already one by earlier merges.
    package var merge: MergeView?
    /// The surviving customer.
    package var customer: CustomerID
    /// False when nothing changed.
    package var created: Bool

    package init(merge: MergeView?, customer: CustomerID, created: Bool) {
        self.merge = merge
        self.customer = customer
        self.created = created
    }
}
