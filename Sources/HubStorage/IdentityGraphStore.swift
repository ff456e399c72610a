import Foundation
import HubCore

/// Merging customers by hand, undoing merges, and deciding merge proposals.
public protocol IdentityGraphStore: Sendable {
    /// Merges `other` (and everything merged into it) into `customerID`'s customer.
    /// Merging two customers that are already one changes nothing and returns `created: false`.
    func merge(_ customerID: CustomerID, with other: CustomerID, actor: String, reason: String?, now: Date) async throws -> MergeOutcome
    /// Undoes a merge; a merge already undone is a `conflict` error and changes nothing.
    func undo(mergeID: Int64, actor: String, now: Date) async throws -> MergeView
    /// Every merge that touched the customer's current group, newest first; `nil` for an unknown customer.
    func merges(customerID: CustomerID) async throws -> [MergeView]?
    func proposals(state: String?, limit: Int) async throws -> [MergeProposalView]
    /// Accepts (merging the two customers) or rejects an open proposal.
    func decide(proposalID: Int64, accept: Bool, actor: String, now: Date) async throws -> MergeProposalView
}

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
