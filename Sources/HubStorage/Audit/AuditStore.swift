package import Foundation
import GRDB
package import HubCore

/// The audit trail: appends outside another transaction, and the walk `tributary audit verify` does.
package struct AuditStore: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func append(_ entry: AuditEntry) async throws {
        try await database.writer.write { db in _ = try AuditLedger.append(entry, in: db) }
    }

    /// Walks every row from the anchor in id order, a page at a time, and says where the chain
    /// first breaks.
    package func verify() async throws -> AuditVerdict {
        try await database.writer.read { db in
            let chain = try Row.fetchOne(db, sql: "SELECT head_hash, anchor_id, anchor_hash FROM audit_chain WHERE singleton = 1")
            var verifier = AuditVerifier(
                anchorHash: chain?["anchor_hash"] ?? AuditChain.genesis, anchorID: chain?["anchor_id"] ?? 0)
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
}
