package import HubCore
package import HubStorage

/// Who is calling `/api/v1`: an agent account with a session, or an integration token of the
/// manifest.
package struct Principal: Sendable {
    package enum Kind: Sendable {
        case agent(AgentView)
        /// `scopes == nil`: a token without `scopes:`, which keeps full access.
        case integration(name: String, scopes: Set<Permission>?)
    }

    package var kind: Kind

    package var name: String {
        switch kind {
        case .agent(let agent): agent.name
        case .integration(let name, _): name
        }
    }

    package var agent: AgentView? {
        if case .agent(let agent) = kind { return agent }
        return nil
    }

    /// What the audit trail and events name: `agent:ID` or `token:NAME`.
    package var actor: String {
        switch kind {
        case .agent(let agent): "agent:\(agent.id)"
        case .integration(let name, _): "token:\(name)"
        }
    }

    package func allows(_ permission: Permission) -> Bool {
        switch kind {
        case .agent(let agent): agent.role.permissions.contains(permission)
        case .integration(_, let scopes): scopes?.contains(permission) ?? true
        }
    }

    /// `403 forbidden` naming the permission unless the caller has it.
    package func require(_ permission: Permission) throws(HubError) {
        guard allows(permission) else {
            throw HubError.forbidden("forbidden", "this needs the permission '\(permission.rawValue)', which \(name) does not have")
        }
    }

    var viewer: Viewer {
        switch kind {
        case .agent(let agent): Viewer(agentID: agent.id, teams: agent.teams, seesAll: agent.role.seesAllConversations)
        case .integration: Viewer(agentID: nil, teams: [], seesAll: true)
        }
    }
}
