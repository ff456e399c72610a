import Foundation
import GRDB
import HubCore

/// Appends to the audit trail inside the caller's transaction, so that an action and its audit
/// row commit together or not at all; the chain's head moves with each row.
enum AuditLedger {
    @discardableResult
    static func append(_ entry: AuditEntry, in db: Database) throws -> Int64 {
        let chain = try Row.fetchOne(db, sql: "SELECT head_id, head_hash FROM audit_chain WHERE singleton = 1")
        let previousID: Int64 = chain?["head_id"] ?? 0
        let previousHash: String = chain?["head_hash"] ?? AuditChain.genesis
        let id = previousID + 1
        let milliseconds = Int64((entry.at.timeIntervalSince1970 * 1000).rounded())
        let hash = AuditChain.hash(previous: previousHash, id: id, entry, atMilliseconds: milliseconds)
        try db.execute(
            sql: """
                INSERT INTO audit (id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, milliseconds, entry.actor, entry.action, entry.target, entry.outcome, entry.sourceIP, entry.detail, previousHash, hash,
            ])
        try db.execute(
            sql: """
                INSERT INTO audit_chain (singleton, head_id, head_hash, anchor_id, anchor_hash) VALUES (1, ?1, ?2, 0, ?3)
                ON CONFLICT (singleton) DO UPDATE SET head_id = ?1, head_hash = ?2
                """, arguments: [id, hash, AuditChain.genesis])
        return id
    }
}
