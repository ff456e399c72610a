import Foundation
import GRDB
import HubCore

/// Resolves an event's identifiers to a customer inside the caller's transaction:
/// gathers what the identifiers match, lets ``IdentityResolver`` decide, and applies
/// the decision (new customer, merges, proposals, identifiers, name).
enum IdentityGraph {
    /// The customer an event belongs to: `home` keeps it through an undo, `root` is who it shows under now.
    struct Resolved {
        var home: CustomerID
        var root: CustomerID
        var created: Bool
        var merges: [Int64]
        var proposals: Int
    }

    /// - Parameters:
    ///   - attributeSource: where the name came from, when not the channel (an import file).
    ///   - actor: recorded on merges the rules make (`rule` for ingest, `import` for an import).
    static func resolve(
        keys: [IdentityKey], name: String?, channelID: ChannelID, policy: IdentityPolicy, now: Date, in db: Database,
        attributeSource: String? = nil, actor: String = "rule"
    ) throws -> Resolved {
        let matches = try self.matches(for: keys, in: db)
        var context = ResolutionContext()
        let roots = Set(matches.map(\.root))
        let incomingScoped = keys.contains { $0.comparable && $0.kind.conflictScope(value: $0.value, verified: $0.verified) != nil }
        if roots.count > 1 || (incomingScoped && matches.contains { $0.rule != .sameAccount }) {
            for root in roots { context.evidence[root] = try evidence(root: root, in: db) }
        }
        if roots.count > 1 { context.separated = try separatedPairs(among: roots, in: db) }
        let decision = IdentityResolver.resolve(keys: keys, matches: matches, context: context, policy: policy)

        var home: CustomerID
        var root: CustomerID
        var created = false
        switch decision.target {
        case .existing(let existingHome, let existingRoot):
            home = existingHome
            root = existingRoot
        case .newCustomer:
            home = try createCustomer(name: name, channelID: attributeSource ?? channelID, now: now, in: db)
            root = home
            created = true
        }
        var mergeIDs: [Int64] = []
        for merge in decision.merges {
            let applied = try MergeLedger.merge(
                survivor: merge.survivor, absorbed: merge.absorbed, rule: merge.rule.rawValue, evidence: merge.evidence, actor: actor,
                reason: nil, now: now, in: db)
            mergeIDs.append(applied)
            // A rule's merge has no request behind it: its row is written here, with the merge.
            try AuditLedger.append(
                AuditEntry(
                    at: now, actor: actor, action: "customer.merge", target: "customer:\(merge.survivor)",
                    detail: "merge \(applied): customer:\(merge.absorbed) joined by rule \(merge.rule.rawValue)"), in: db)
        }
        if let last = decision.merges.last { root = last.survivor }
        for proposal in decision.proposals {
            try MergeLedger.propose(root, proposal.other, rule: proposal.rule.rawValue, evidence: proposal.evidence, now: now, in: db)
        }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO identity (customer_id, kind, value, comparable, channel_id, verified, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, value, customer_id) DO UPDATE SET last_seen = excluded.last_seen, verified = verified OR excluded.verified
                """)
        for key in decision.attach {
            try insert.execute(
                arguments: [home, key.kind.rawValue, key.value, key.comparable, channelID, key.verified, StoredDate(now), StoredDate(now)])
        }
        if !decision.touch.isEmpty {
            let touch = try db.cachedStatement(sql: "UPDATE identity SET last_seen = ? WHERE id = ?")
            for id in decision.touch { try touch.execute(arguments: [StoredDate(now), id]) }
        }
        for id in decision.verify {
            try db.cachedStatement(sql: "UPDATE identity SET verified = 1 WHERE id = ?").execute(arguments: [id])
        }
        if let name = name?.trimmingWhitespace(), !name.isEmpty {
            try setAttribute(customerID: home, name: "name", value: name, source: attributeSource ?? channelID, now: now, in: db)
        }
        return Resolved(home: home, root: root, created: created, merges: mergeIDs, proposals: decision.proposals.count)
    }

    /// Stored identifiers equal to any comparable key, with their home and current root.
    static func matches(for keys: [IdentityKey], in db: Database) throws -> [IdentityMatch] {
        let find = try db.cachedStatement(
            sql: """
                SELECT i.id, i.customer_id, c.root_id, i.verified FROM identity i JOIN customer c ON c.id = i.customer_id
                WHERE i.kind = ? AND i.value = ? AND i.comparable
                """)
        var matches: [IdentityMatch] = []
        for key in keys where key.comparable {
            for row in try Row.fetchAll(find, arguments: [key.kind.rawValue, key.value]) {
                matches.append(IdentityMatch(key: key, identityID: row[0], home: row[1], root: row[2], storedVerified: row[3]))
            }
        }
        return matches
    }

    /// The identifiers with a conflict scope held anywhere in `root`'s merged group.
    static func evidence(root: CustomerID, in db: Database) throws -> [IdentityKey] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.kind, i.value, i.verified FROM identity i JOIN customer c ON c.id = i.customer_id
                    WHERE c.root_id = ? AND i.comparable AND i.kind IN ('email', 'wechat_unionid', 'shop_customer')
                    """), arguments: [root]
        ).map { IdentityKey(kind: IdentityKind(rawValue: $0[0]), value: $0[1], verified: $0[2]) }
    }

    /// Pairs of `roots` that an agent kept apart: an undone merge or a rejected proposal between their groups.
    static func separatedPairs(among roots: Set<CustomerID>, in db: Database) throws -> Set<CustomerPair> {
        let list = roots.map(String.init).joined(separator: ",")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.root_id, a.root_id FROM customer_merge m
                JOIN customer s ON s.id = m.survivor_id JOIN customer a ON a.id = m.absorbed_id
                WHERE m.undone_at IS NOT NULL AND s.root_id IN (\(list)) AND a.root_id IN (\(list))
                UNION
                SELECT l.root_id, h.root_id FROM merge_proposal p
                JOIN customer l ON l.id = p.customer_low JOIN customer h ON h.id = p.customer_high
                WHERE p.state = 'rejected' AND l.root_id IN (\(list)) AND h.root_id IN (\(list))
                """)
        return Set(
            rows.compactMap { row -> CustomerPair? in
                let a: CustomerID = row[0]
                let b: CustomerID = row[1]
                return a == b ? nil : CustomerPair(a, b)
            })
    }

    static func createCustomer(name: String?, channelID: ChannelID, now: Date, in db: Database) throws -> CustomerID {
        try db.cachedStatement(sql: "INSERT INTO customer (display_name, created_at, updated_at) VALUES (?, ?, ?)")
            .execute(arguments: [name?.trimmingWhitespace(), StoredDate(now), StoredDate(now)])
        let id = db.lastInsertedRowID
        try db.cachedStatement(sql: "UPDATE customer SET root_id = id WHERE id = ?").execute(arguments: [id])
        try EventLog.append(
            .customerCreated, json: EventLog.customerJSON(customer: id, name: name?.trimmingWhitespace(), channel: channelID), at: now,
            in: db)
        return id
    }

    /// Records `value` for an attribute from one source; other sources' values are kept.
    static func setAttribute(customerID: CustomerID, name: String, value: String, source: String, now: Date, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO customer_attribute (customer_id, name, value, source, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (customer_id, name, source) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                WHERE value <> excluded.value
                """
        ).execute(arguments: [customerID, name, value, source, StoredDate(now)])
    }

    /// The customer `id` shows under now, or `nil` when there is no such customer.
    static func root(of id: CustomerID, in db: Database) throws -> CustomerID? {
        try CustomerID.fetchOne(db.cachedStatement(sql: "SELECT root_id FROM customer WHERE id = ?"), arguments: [id])
    }
}
