package import Foundation

/// One audit row as the auditor's API and its CSV show it.
package struct AuditRecord: Sendable, Hashable, Codable {
    package var id: Int64
    package var at: Date
    package var actor: String
    package var action: String
    package var target: String?
    package var outcome: String
    package var sourceIP: String?
    package var detail: String?
    /// The row's link in the chain, so that an exported copy can be checked against `verify`.
    package var hash: String

    package init(
        id: Int64, at: Date, actor: String, action: String, target: String?, outcome: String, sourceIP: String?, detail: String?,
        hash: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.sourceIP = sourceIP
        self.detail = detail
        self.hash = hash
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, action, target, outcome, detail, hash
        case sourceIP = "source_ip"
    }
}

/// What the auditor asks for: each filter optional, newest first, older pages by `before` (an id).
package struct AuditQuery: Sendable, Hashable {
    package var actor: String?
    /// An action, or a prefix ending in `.` (`auth.` for every login row).
    package var action: String?
    package var from: Date?
    package var to: Date?
    package var before: Int64?

    package init(actor: String? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil, before: Int64? = nil) {
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.before = before
    }
}

/// What pruning did: rows removed, and the anchor the chain now starts from.
package struct AuditPruning: Sendable, Hashable {
    package var removed: Int
    package var anchorID: Int64

    package init(removed: Int, anchorID: Int64) {
        self.removed = removed
        self.anchorID = anchorID
    }
}
