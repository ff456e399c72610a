package import Foundation
import GRDB
package import HubCore

/// Merging customers by hand, undoing merges, and deciding merge proposals.
///
/// Inside the server, writes go through the group
/// commit writer so they serialise with ingest; the command line writes directly
/// (SQLite's immediate transactions serialise it with a running server).
package struct IdentityGraphStore: Sendable {
    let database: HubDatabase
    let writer: GroupCommitWriter?

    package init(database: HubDatabase, writer: GroupCommitWriter? = nil) {
        self.database = database
        self.writer = writer
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let writer { return try await writer.write(work) }
        return try await database.writer.write(work)
    }

    /// Merges `other` (and everything merged into it) into `customerID`'s customer.
    /// Merging two customers that are already one changes nothing and returns `created: false`.
    package func merge(_ customerID: CustomerID, with other: CustomerID, actor: String, reason: String?, now: Date) async throws
        -> MergeOutcome
    {
        try await write { db in
            // An unknown id is a 404 even when both ids are the same.
            guard let survivor = try IdentityGraph.root(of: customerID, in: db) else {
                throw HubError.notFound("unknown_customer", "no customer with id \(customerID)")
            }
            guard customerID != other else {
                throw HubError.badRequest("self_merge", "a customer cannot be merged with itself")
            }
            guard let absorbed = try IdentityGraph.root(of: other, in: db) else {
                throw HubError.notFound("unknown_customer", "no customer with id \(other)")
            }
            guard survivor != absorbed else { return MergeOutcome(merge: nil, customer: survivor, created: false) }
            let id = try MergeLedger.merge(
                survivor: survivor, absorbed: absorbed, rule: nil, evidence: nil, actor: actor, reason: reason, now: now, in: db)
            return MergeOutcome(merge: try MergeLedger.view(id, in: db), customer: survivor, created: true)
        }
    }

    /// Undoes a merge; a merge already undone is a `conflict` error and changes nothing.
    package func undo(mergeID: Int64, actor: String, now: Date) async throws -> MergeView {
        try await write { db in try MergeLedger.undo(mergeID, actor: actor, now: now, in: db) }
    }

    /// Every merge that touched the customer's current group, newest first; `nil` for an unknown customer.
    package func merges(customerID: CustomerID) async throws -> [MergeView]? {
        try await database.writer.read { db in
            guard let root = try IdentityGraph.root(of: customerID, in: db) else { return nil }
            // Every merge either side of which is in the group now, or was the customer asked about.
            return try Row.fetchAll(
                db,
                sql: """
                    WITH grp(id) AS (SELECT id FROM customer WHERE root_id = ?1 UNION SELECT ?2)
                    SELECT * FROM customer_merge WHERE survivor_id IN grp OR absorbed_id IN grp ORDER BY id DESC
                    """, arguments: [root, customerID]
            ).map(MergeLedger.view(row:))
        }
    }

    package func proposals(state: String?, limit: Int) async throws -> [MergeProposalView] {
        try await database.writer.read { db in
            if let state {
                return try Row.fetchAll(
                    db, sql: MergeLedger.proposalSelect + " WHERE p.state = ? ORDER BY p.id DESC LIMIT ?", arguments: [state, limit]
                ).map(MergeLedger.proposal(row:))
            }
            return try Row.fetchAll(db, sql: MergeLedger.proposalSelect + " ORDER BY p.id DESC LIMIT ?", arguments: [limit])
                .map(MergeLedger.proposal(row:))
        }
    }

    /// Accepts (merging the two customers) or rejects an open proposal.
    package func decide(proposalID: Int64, accept: Bool, actor: String, now: Date) async throws -> MergeProposalView {
        try await write { db in
            let select = MergeLedger.proposalSelect + " WHERE p.id = ?"
            guard let proposal = try Row.fetchOne(db, sql: select, arguments: [proposalID]).map(MergeLedger.proposal(row:)) else {
                throw HubError.notFound("unknown_proposal", "no merge proposal with id \(proposalID)")
            }
            guard proposal.state == "open" else {
                throw HubError.conflict("proposal_decided", "proposal \(proposalID) is already \(proposal.state)")
            }
            var mergeID: Int64?
            if accept, proposal.currentCustomers[0] != proposal.currentCustomers[1] {
                let survivor = proposal.currentCustomers.min()!
                let absorbed = proposal.currentCustomers.max()!
                mergeID = try MergeLedger.merge(
                    survivor: survivor, absorbed: absorbed, rule: proposal.rule, evidence: proposal.evidence, actor: actor,
                    reason: "accepted proposal \(proposalID)", now: now, in: db)
            }
            try db.execute(
                sql: "UPDATE merge_proposal SET state = ?, decided_at = ?, decided_by = ?, merge_id = ? WHERE id = ?",
                arguments: [accept ? "accepted" : "rejected", now, actor, mergeID, proposalID])
            return try Row.fetchOne(db, sql: select, arguments: [proposalID]).map(MergeLedger.proposal(row:))!
        }
    }
}
