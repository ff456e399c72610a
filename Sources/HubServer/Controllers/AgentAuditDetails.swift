import HubCore
import Hummingbird

/// A changed agent: answers the account as it is now, and tells the audit trail what changed in
/// its role, its activity and its teams (the changes that grant or take away access).
struct AgentUpdated: ResponseGenerator, AuditDescribed {
    var before: AgentView
    var after: AgentView

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try after.response(from: request, context: context)
    }

    var auditDetail: String? {
        var changes: [String] = []
        if before.role != after.role { changes.append("role \(before.role.rawValue) -> \(after.role.rawValue)") }
        if before.active != after.active { changes.append(after.active ? "reactivated" : "deactivated") }
        if before.teams != after.teams {
            changes.append("teams [\(before.teams.joined(separator: ","))] -> [\(after.teams.joined(separator: ","))]")
        }
        return changes.isEmpty ? nil : changes.joined(separator: "; ")
    }
}

extension AgentView: AuditDescribed {
    /// A new account's role: what access it was given.
    var auditDetail: String? { "role \(role.rawValue)" }
}

extension EditedResponse: AuditDescribed where Generator: AuditDescribed {
    var auditDetail: String? { responseGenerator.auditDetail }
}
