import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// `/api/v1` routes that join and split customers: manual merges, undo, the audit
/// trail and merge proposals.
struct MergeController: Sendable {
    let identity: IdentityGraphStore
    let maxBodyBytes: Int

    /// `GET /api/v1/customers/{id}/merges`.
    func merges(_ request: Request, context: HubRequestContext) async throws -> MergeList {
        let id = try context.parameters.id("id", resource: "customer")
        guard let merges = try await identity.merges(customerID: id) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        return MergeList(merges: merges)
    }

    /// `POST /api/v1/customers/{id}/merge {"other", "reason"?}`.
    func merge(_ request: Request, context: HubRequestContext) async throws -> Answer<MergeOutcome> {
        let id = try context.parameters.id("id", resource: "customer")
        let body = try await request.decodeJSON(MergeRequest.self, limit: maxBodyBytes, example: #"{"other": 42, "reason": "same person"}"#)
        let outcome = try await identity.merge(id, with: body.other, actor: actor(context), reason: body.reason, now: Date())
        if let merge = outcome.merge {
            context.logger.info(
                "customers merged", metadata: ["merge": "\(merge.id)", "survivor": "\(merge.survivor)", "absorbed": "\(merge.absorbed)"])
        }
        return Answer(outcome, status: outcome.created ? .created : .ok)
    }

    /// `POST /api/v1/merges/{id}/undo`.
    func undo(_ request: Request, context: HubRequestContext) async throws -> MergeView {
        let id = try context.parameters.id("id", resource: "merge")
        let merge = try await identity.undo(mergeID: id, actor: actor(context), now: Date())
        context.logger.info("merge undone", metadata: ["merge": "\(merge.id)", "absorbed": "\(merge.absorbed)"])
        return merge
    }

    /// `GET /api/v1/merge-proposals?state=&limit=`.
    func proposals(_ request: Request, context: HubRequestContext) async throws -> ProposalList {
        let state = try request.oneOf("state", ["open", "accepted", "rejected", "superseded", "all"]) ?? "open"
        let limit = try request.limit(default: 100, maximum: 500)
        return ProposalList(proposals: try await identity.proposals(state: state == "all" ? nil : state, limit: limit))
    }

    /// `POST /api/v1/merge-proposals/{id}/accept`.
    func accept(_ request: Request, context: HubRequestContext) async throws -> MergeProposalView {
        try await decide(context, accept: true)
    }

    /// `POST /api/v1/merge-proposals/{id}/reject`.
    func reject(_ request: Request, context: HubRequestContext) async throws -> MergeProposalView {
        try await decide(context, accept: false)
    }

    private func decide(_ context: HubRequestContext, accept: Bool) async throws -> MergeProposalView {
        let id = try context.parameters.id("id", resource: "proposal")
        let proposal = try await identity.decide(proposalID: id, accept: accept, actor: actor(context), now: Date())
        context.logger.info("merge proposal decided", metadata: ["proposal": "\(id)", "state": .string(proposal.state)])
        return proposal
    }

    private func actor(_ context: HubRequestContext) -> String {
        "agent:" + (context.agentName ?? "unknown")
    }
}

struct MergeRequest: Decodable {
    var other: CustomerID
    var reason: String?
}

struct MergeList: ResponseEncodable {
    var merges: [MergeView]
}

struct ProposalList: ResponseEncodable {
    var proposals: [MergeProposalView]
}
