package import Foundation
import GRDB
package import HubCore

/// The audit trail: appends outside another transaction, the auditor's reads, pruning behind an
/// anchor, and the walk `tributary audit verify` does.
package struct AuditStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func append(_ entry: AuditEntry) async throws {
        try await database.writer.write { db in _ = try AuditLedger.append(entry, in: db) }
    }

    /// A page of rows matching `query`, newest first; `next` is the `before` of the following page.
    package func page(_ query: AuditQuery, limit: Int) async throws -> (records: [AuditRecord], next: Int64?) {
        try await database.writer.read { db in
            let (sql, arguments) = Self.select(query)
            let records = try Row.fetchAll(db, sql: sql + " LIMIT ?", arguments: StatementArguments(arguments + [limit + 1])).map(
                Self.record(row:))
            return records.count > limit ? (Array(records.prefix(limit)), records[limit - 1].id) : (records, nil)
        }
    }

    /// Every row matching `query`, newest first, handed to `body` in batches of `batch` so that an
    /// export of millions of rows streams with bounded memory.
    package func forEachBatch(_ query: AuditQuery, batch: Int = 2_000, _ body: ([AuditRecord]) async throws -> Void) async throws {
        var query = query
        while true {
            let (records, next) = try await page(query, limit: batch)
            if !records.isEmpty { try await body(records) }
            guard let next else { return }
            query.before = next
        }
    }

    /// Removes every row older than `cutoff`, whole UTC days at a time (rows before the start of
    /// the cutoff's day), and keeps the last removed row's id and hash as the chain's anchor, so
    /// that `verify` still checks every row kept. Deletes in batches so that writers are not held up.
    package func prune(before cutoff: Date) async throws -> AuditPruning {
        let dayStart = (cutoff.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let cutoffMilliseconds = Int64(dayStart * 1000)
        var removed = 0
        while true {
            let batch = try await database.writer.write { db -> (removed: Int, anchor: Int64) in
                guard
                    let last = try Row.fetchOne(
                        db, sql: "SELECT id, hash FROM audit WHERE at_ms < ? ORDER BY id LIMIT 1 OFFSET 9999",
                        arguments: [cutoffMilliseconds])
                        ?? Row.fetchOne(
                            db, sql: "SELECT id, hash FROM audit WHERE at_ms < ? ORDER BY id DESC LIMIT 1", arguments: [cutoffMilliseconds])
                else {
                    let anchor = try Int64.fetchOne(db, sql: "SELECT anchor_id FROM audit_chain WHERE singleton = 1") ?? 0
                    return (0, anchor)
                }
                let id: Int64 = last["id"]
                let hash: String = last["hash"]
                try db.execute(sql: "DELETE FROM audit WHERE id <= ?", arguments: [id])
                let count = db.changesCount
                try db.execute(sql: "UPDATE audit_chain SET anchor_id = ?, anchor_hash = ? WHERE singleton = 1", arguments: [id, hash])
                return (count, id)
            }
            removed += batch.removed
            if batch.removed == 0 { return AuditPruning(removed: removed, anchorID: batch.anchor) }
        }
    }

    /// Walks every row from the anchor in id order, a page at a time, and says where the chain
    /// first breaks.
    package func verify() async throws -> AuditVerdict {
        try await database.writer.read { db in
            let chain = try Row.fetchOne(db, sql: "SELECT head_hash, anchor_id, anchor_hash FROM audit_chain WHERE singleton = 1")
            var verifier = AuditVerifier(
                anchorHash: chain?["anchor_hash"] ?? AuditChain.genesis, anchorID: chain?["anchor_id"] ?? 0,
                headHash: chain?["head_hash"])
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash FROM audit ORDER BY id")
            while let row = try cursor.next() {
                let milliseconds: Int64 = row["at_ms"]
                verifier.check(
                    AuditRow(
                        id: row["id"], atMilliseconds: milliseconds,
                        entry: AuditEntry(
                            at: Date(timeIntervalSince1970: Double(milliseconds) / 1000), actor: row["actor"], action: row["action"],
                            target: row["target"], outcome: row["outcome"], sourceIP: row["source_ip"], detail: row["detail"]),
                        previousHash: row["prev_hash"], hash: row["hash"]))
                if verifier.problem != nil { break }
            }
            return verifier.verdict(headHash: chain?["head_hash"])
        }
    }

    private static func select(_ query: AuditQuery) -> (String, [any DatabaseValueConvertible]) {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let actor = query.actor {
            clauses.append("actor = ?")
            arguments.append(actor)
        }
        if let action = query.action {
            if action.hasSuffix(".") {
                clauses.append("action >= ? AND action < ?")
                arguments += [action, action.dropLast() + "/"]
            } else {
                clauses.append("action = ?")
                arguments.append(action)
            }
        }
        if let from = query.from {
            clauses.append("at_ms >= ?")
            arguments.append(Int64((from.timeIntervalSince1970 * 1000).rounded(.up)))
        }
        if let to = query.to {
            clauses.append("at_ms < ?")
            arguments.append(Int64((to.timeIntervalSince1970 * 1000).rounded(.up)))
        }
        if let before = query.before {
            clauses.append("id < ?")
            arguments.append(before)
        }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return (
            "SELECT id, at_ms, actor, action, target, outcome, source_ip, detail, hash FROM audit" + filter + " ORDER BY id DESC",
            arguments
        )
    }

    private static func record(row: Row) -> AuditRecord {
        let milliseconds: Int64 = row["at_ms"]
        return AuditRecord(
            id: row["id"], at: Date(timeIntervalSince1970: Double(milliseconds) / 1000), actor: row["actor"], action: row["action"],
            target: row["target"], outcome: row["outcome"], sourceIP: row["source_ip"], detail: row["detail"], hash: row["hash"])
    }
}
