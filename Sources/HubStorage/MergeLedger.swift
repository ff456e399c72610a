import Foundation
import GRDB
import HubCore

/// Merges and their undoing, as records.
///
/// Nothing a merge touches loses where it came from: identifiers, conversations,
/// attributes and timeline events keep the customer they were recorded on (their
/// home). A merge only points the absorbed customer at the survivor and moves the
/// denormalised `root_id` that reads use, so undo is exact: the absorbed customer's
/// subtree gets its own root back, and with it everything whose home is in it.
enum MergeLedger {
    /// Merges root `absorbed` into root `survivor`; returns the merge id.
    static func merge(
        survivor: CustomerID, absorbed: CustomerID, rule: String?, evidence: String?, actor: String, reason: String?, now: Date,
        in db: Database
    ) throws -> Int64 {
        precondition(survivor != absorbed, "a customer cannot be merged into itself")
        try db.execute(
            sql: """
                INSERT INTO customer_merge (survivor_id, absorbed_id, rule, evidence, actor, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [survivor, absorbed, rule, evidence, actor, reason, now])
        let mergeID = db.lastInsertedRowID
        try db.execute(
            sql: "UPDATE customer SET merged_into = ?, merge_id = ?, updated_at = ? WHERE id = ?",
            arguments: [survivor, mergeID, now, absorbed])
        try db.execute(sql: "UPDATE customer SET root_id = ? WHERE root_id = ?", arguments: [survivor, absorbed])
        try db.execute(sql: "UPDATE timeline_event SET root_id = ? WHERE root_id = ?", arguments: [survivor, absorbed])
        // Proposals between customers that are now one are settled by this merge.
        try db.execute(
            sql: """
                UPDATE merge_proposal SET state = 'superseded', decided_at = ?, decided_by = ?, merge_id = ?
                WHERE state = 'open'
                  AND (SELECT root_id FROM customer WHERE id = customer_low) = (SELECT root_id FROM customer WHERE id = customer_high)
                """, arguments: [now, actor, mergeID])
        try EventLog.append(
            .customerMerged, MergeEventData(merge: mergeID, survivor: survivor, absorbed: absorbed, actor: actor, rule: rule), at: now,
            in: db)
        return mergeID
    }

    /// Undoes merge `id`: the absorbed customer, and everything merged into it before
    /// or after, stands on its own again.
    static func undo(_ id: Int64, actor: String, now: Date, in db: Database) throws -> MergeView {
        guard let merge = try view(id, in: db) else { throw HubError.notFound("unknown_merge", "no merge with id \(id)") }
        guard merge.undoneAt == nil else {
            throw HubError.conflict("merge_already_undone", "merge \(id) was already undone by \(merge.undoneBy ?? "someone")")
        }
        let absorbed = merge.absorbed
        let subtree = """
            WITH RECURSIVE subtree(id) AS (
                SELECT ?1 UNION SELECT c.id FROM customer c JOIN subtree s ON c.merged_into = s.id
            )
            """
        try db.execute(sql: subtree + " UPDATE customer SET root_id = ?1 WHERE id IN subtree", arguments: [absorbed])
        try db.execute(sql: subtree + " UPDATE timeline_event SET root_id = ?1 WHERE customer_id IN subtree", arguments: [absorbed])
        try db.execute(
            sql: "UPDATE customer SET merged_into = NULL, merge_id = NULL, updated_at = ? WHERE id = ?", arguments: [now, absorbed])
        try db.execute(sql: "UPDATE customer_merge SET undone_at = ?, undone_by = ? WHERE id = ?", arguments: [now, actor, id])
        try EventLog.append(
            .customerUnmerged, MergeEventData(merge: id, survivor: merge.survivor, absorbed: absorbed, actor: actor, rule: merge.rule),
            at: now, in: db)
        return try view(id, in: db)!
    }

    /// Records an open proposal to merge two customers, unless one is already open for
    /// them. (Pairs an agent rejected never get here: the resolver treats them as separated.)
    static func propose(_ a: CustomerID, _ b: CustomerID, rule: String, evidence: String, now: Date, in db: Database) throws {
        let pair = CustomerPair(a, b)
        guard pair.low != pair.high else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO merge_proposal (customer_low, customer_high, rule, evidence, state, created_at) VALUES (?, ?, ?, ?, 'open', ?)
                ON CONFLICT DO NOTHING
                """
        ).execute(arguments: [pair.low, pair.high, rule, evidence, now])
    }

    static func view(_ id: Int64, in db: Database) throws -> MergeView? {
        try Row.fetchOne(db, sql: "SELECT * FROM customer_merge WHERE id = ?", arguments: [id]).map(view(row:))
    }

    static func view(row: Row) -> MergeView {
        MergeView(
            id: row["id"], survivor: row["survivor_id"], absorbed: row["absorbed_id"], rule: row["rule"], evidence: row["evidence"],
            actor: row["actor"], reason: row["reason"], createdAt: row["created_at"], undoneAt: row["undone_at"],
            undoneBy: row["undone_by"])
    }

    static func proposal(row: Row) -> MergeProposalView {
        MergeProposalView(
            id: row["id"], customers: [row["customer_low"], row["customer_high"]], currentCustomers: [row["root_low"], row["root_high"]],
            rule: row["rule"], evidence: row["evidence"], state: row["state"], createdAt: row["created_at"], decidedAt: row["decided_at"],
            decidedBy: row["decided_by"], mergeID: row["merge_id"])
    }

    static let proposalSelect = """
        SELECT p.*, l.root_id AS root_low, h.root_id AS root_high FROM merge_proposal p
        JOIN customer l ON l.id = p.customer_low JOIN customer h ON h.id = p.customer_high
        """
}
