package import Foundation
import GRDB

/// One secret the hub keeps in its database, as stored (sealed or, from before sealing, plain).
package struct StoredSecret: Sendable, Hashable {
    /// `agent:ID` for a TOTP seed: what the sealed value is bound to.
    package var owner: String
    package var agentID: Int64
    package var value: String

    package init(owner: String, agentID: Int64, value: String) {
        self.owner = owner
        self.agentID = agentID
        self.value = value
    }
}

/// The secrets at rest (agents' TOTP seeds) and the data key's check value, read and rewritten
/// together: sealing at start and `tributary keys rotate` replace them in one transaction.
package struct StoredSecrets: Sendable {
    let database: HubDatabase

    package init(database: HubDatabase) {
        self.database = database
    }

    package func all() async throws -> (secrets: [StoredSecret], check: String?) {
        try await database.writer.read { db in
            let secrets = try Row.fetchAll(db, sql: "SELECT id, totp_secret FROM agent WHERE totp_secret IS NOT NULL ORDER BY id").map {
                let id: Int64 = $0["id"]
                return StoredSecret(owner: "agent:\(id)", agentID: id, value: $0["totp_secret"])
            }
            return (secrets, try String.fetchOne(db, sql: "SELECT sealed FROM data_key_check WHERE singleton = 1"))
        }
    }

    /// Writes every secret's new value and the new check value at once; a seed changed meanwhile
    /// (its stored value no longer `expected`) fails the whole rewrite.
    package func replace(_ changes: [(expected: StoredSecret, value: String)], check: String, now: Date) async throws {
        try await database.writer.write { db in
            for change in changes {
                try db.execute(
                    sql: "UPDATE agent SET totp_secret = ? WHERE id = ? AND totp_secret = ?",
                    arguments: [change.value, change.expected.agentID, change.expected.value])
                guard db.changesCount == 1 else {
                    throw DatabaseError(message: "the TOTP seed of \(change.expected.owner) changed during the rewrite; run it again")
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO data_key_check (singleton, sealed, updated_at) VALUES (1, ?, ?)
                    ON CONFLICT (singleton) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at
                    """, arguments: [check, now])
        }
    }
}
