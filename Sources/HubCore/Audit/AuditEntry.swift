package import Foundation

/// One row of the audit trail: who did what to what, when, from where, and how it ended.
package struct AuditEntry: Sendable, Hashable {
    package var at: Date
    /// `agent:ID`, `token:NAME`, `cli`, `anonymous` (a failed login names the e-mail tried in `detail`).
    package var actor: String
    /// `auth.login`, `auth.login_failed`, `customer.merge`, `access.denied`…
    package var action: String
    /// What it was done to: `customer:12`, `agent:3`, a route.
    package var target: String?
    /// `ok`, `denied`, `failed`.
    package var outcome: String
    package var sourceIP: String?
    /// Anything else, as text (a reason, a role change `agent -> supervisor`).
    package var detail: String?

    package init(
        at: Date, actor: String, action: String, target: String? = nil, outcome: String = "ok", sourceIP: String? = nil,
        detail: String? = nil
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.sourceIP = sourceIP
        self.detail = detail
    }
}

/// The chain: each row's hash is SHA-256 over the previous row's hash and the row's own content
/// (its id included), so an edited, inserted or deleted row breaks it from there on.
package enum AuditChain {
    /// The previous hash of the first row ever written.
    package static let genesis = String(repeating: "0", count: 64)

    /// The row's content as hashed: fields in a fixed order, each length-prefixed, so that no two
    /// different rows hash the same text.
    package static func content(id: Int64, _ entry: AuditEntry, atMilliseconds: Int64) -> String {
        [
            String(id), String(atMilliseconds), entry.actor, entry.action, entry.target ?? "", entry.outcome, entry.sourceIP ?? "",
            entry.detail ?? "",
        ]
        .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    package static func hash(previous: String, id: Int64, _ entry: AuditEntry, atMilliseconds: Int64) -> String {
        SHA256Digest.hex(Array((previous + "\n" + content(id: id, entry, atMilliseconds: atMilliseconds)).utf8))
    }
}

/// What `audit verify` found.
package enum AuditVerdict: Sendable, Hashable {
    /// Every row links to the one before and hashes to what it says; `rows` were checked.
    case intact(rows: Int)
    /// The row `id` hashes differently from what it stores: its content was edited.
    case edited(id: Int64)
    /// The row `id` does not link to the row before it, and ids are missing before it: rows were deleted.
    case deletedBefore(id: Int64)
    /// The row `id` does not link to the row before it, or repeats an earlier id: it was inserted.
    case inserted(id: Int64)
    /// The last row is not the chain's recorded head: rows were deleted from the end.
    case truncated(after: Int64)
}

/// Walks the chain one row at a time in id order (so that 10 M rows need no memory), from an
/// anchor: the genesis hash, or the hash kept when older rows were pruned.
package struct AuditVerifier: Sendable {
    private var previousHash: String
    private var previousID: Int64
    /// The hash of the row before the previous one: a row that links to it shows that the previous
    /// row was slipped in between.
    private var hashBeforePrevious: String?
    private var checked = 0
    /// The first problem, once found; later rows are not looked at.
    package private(set) var problem: AuditVerdict?

    /// The head the store recorded at its last append: a row after it was not appended by the hub.
    private let headHash: String?
    private var passedHead = false

    package init(anchorHash: String = AuditChain.genesis, anchorID: Int64 = 0, headHash: String? = nil) {
        self.previousHash = anchorHash
        self.previousID = anchorID
        self.headHash = headHash
    }

    package mutating func check(_ row: AuditRow) {
        guard problem == nil else { return }
        if passedHead {
            problem = .inserted(id: row.id)
            return
        }
        if row.previousHash != previousHash {
            if row.previousHash == hashBeforePrevious {
                problem = .inserted(id: previousID)
            } else {
                problem = row.id > previousID + 1 ? .deletedBefore(id: row.id) : .inserted(id: row.id)
            }
            return
        }
        if row.id <= previousID {
            problem = .inserted(id: row.id)
            return
        }
        if AuditChain.hash(previous: row.previousHash, id: row.id, row.entry, atMilliseconds: row.atMilliseconds) != row.hash {
            problem = .edited(id: row.id)
            return
        }
        hashBeforePrevious = previousHash
        previousHash = row.hash
        previousID = row.id
        checked += 1
        if let headHash, row.hash == headHash { passedHead = true }
    }

    /// The verdict once every row was given, against the head the store recorded at its last append.
    package func verdict(headHash: String?) -> AuditVerdict {
        if let problem { return problem }
        if let headHash, headHash != previousHash { return .truncated(after: previousID) }
        return .intact(rows: checked)
    }
}

/// A stored audit row as verification reads it.
package struct AuditRow: Sendable, Hashable {
    package var id: Int64
    package var atMilliseconds: Int64
    package var entry: AuditEntry
    package var previousHash: String
    package var hash: String

    package init(id: Int64, atMilliseconds: Int64, entry: AuditEntry, previousHash: String, hash: String) {
        self.id = id
        self.atMilliseconds = atMilliseconds
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}
