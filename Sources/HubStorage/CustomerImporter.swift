package import Foundation
import GRDB
package import HubCore

/// Seeds customers from checked CSV rows, resolving each like an inbound event:
/// rows that match existing customers join them, the rules merge or propose as
/// they would for live traffic.
package struct CustomerImporter: Sendable {
    /// What an import did.
    package struct Summary: Sendable, Hashable, Codable {
        package var rows = 0
        package var created = 0
        /// Rows that resolved to an existing customer without merging anyone.
        package var matched = 0
        /// Merges the rules made while importing.
        package var merged = 0
        package var proposals = 0
        package init() {}
    }

    let database: HubDatabase
    let policy: IdentityPolicy

    package init(database: HubDatabase, policy: IdentityPolicy) {
        self.database = database
        self.policy = policy
    }

    /// Imports `rows` in transactions of `batchSize`, calling `progress` with the rows done after each.
    ///
    /// Every batch is durable when `progress` is called; running the same file again
    /// matches the customers it created instead of duplicating them.
    package func importRows(
        _ rows: [CustomerCSV.Row], source: String, batchSize: Int = 2_000, now: Date = Date(), progress: (Int) -> Void = { _ in }
    ) throws -> Summary {
        var summary = Summary()
        var done = 0
        for start in stride(from: 0, to: rows.count, by: batchSize) {
            let batch = Array(rows[start..<min(start + batchSize, rows.count)])
            let part = try database.writer.write { [policy] db in
                var part = Summary()
                for row in batch {
                    let resolved = try IdentityGraph.resolve(
                        keys: row.keys, name: row.name, channelID: source, policy: policy, now: now, in: db, attributeSource: source,
                        actor: "import")
                    part.rows += 1
                    if resolved.created { part.created += 1 } else if resolved.merges.isEmpty { part.matched += 1 }
                    part.merged += resolved.merges.count
                    part.proposals += resolved.proposals
                }
                return part
            }
            summary.rows += part.rows
            summary.created += part.created
            summary.matched += part.matched
            summary.merged += part.merged
            summary.proposals += part.proposals
            done += batch.count
            progress(done)
        }
        return summary
    }
}
