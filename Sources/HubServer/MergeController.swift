import Foundation
import HubCore
import HubStorage
import Hummingbird

/// `/api/v1` routes that join and split customers: manual merges, undo, the audit
/// trail and merge proposals.
struct MergeController {
    let hub: Hub

    func register(on router: Router<HubRequestContext>) {
        let api = router.group("api/v1").add(middleware: AgentAuthMiddleware(agents: hub.manifest.agents))
        api.get("customers/{id}/merges") { _, context in
            let id = try context.parameters.id("id", resource: "customer")
            guard let merges = try await hub.identity.merges(customerID: id) else {
                throw HubError.notFound("unknown_customer", "no customer with that id")
            }
            return try JSONResponse.make(["merges": merges])
        }
        api.post("customers/{id}/merge") { request, context in
            let id = try context.parameters.id("id", resource: "customer")
            let body = try await decode(MergeRequest.self, from: request, example: #"{"other": 42, "reason": "same person"}"#)
            let outcome = try await hub.identity.merge(id, with: body.other, actor: actor(context), reason: body.reason, now: Date())
            if let merge = outcome.merge {
                context.logger.info(
                    "customers merged",
                    metadata: ["merge": "\(merge.id)", "survivor": "\(merge.survivor)", "absorbed": "\(merge.absorbed)"])
            }
            return try JSONResponse.make(outcome, status: outcome.created ? .created : .ok)
        }
        api.post("merges/{id}/undo") { _, context in
            let id = try context.parameters.id("id", resource: "merge")
            let merge = try await hub.identity.undo(mergeID: id, actor: actor(context), now: Date())
            context.logger.info("merge undone", metadata: ["merge": "\(merge.id)", "absorbed": "\(merge.absorbed)"])
            return try JSONResponse.make(merge)
        }
        api.get("merge-proposals") { request, _ in
            let state = request.uri.queryParameters["state"].map(String.init) ?? "open"
            guard ["open", "accepted", "rejected", "superseded", "all"].contains(state) else {
                throw HubError.badRequest("invalid_parameter", "'state' must be open, accepted, rejected, superseded or all")
            }
            let limit = min(max(try request.integerQuery("limit") ?? 100, 1), 500)
            let proposals = try await hub.identity.proposals(state: state == "all" ? nil : state, limit: Int(limit))
            return try JSONResponse.make(["proposals": proposals])
        }
        api.post("merge-proposals/{id}/accept") { _, context in
            try await decide(context, accept: true)
        }
        api.post("merge-proposals/{id}/reject") { _, context in
            try await decide(context, accept: false)
        }
    }

    private func decide(_ context: HubRequestContext, accept: Bool) async throws -> Response {
        let id = try context.parameters.id("id", resource: "proposal")
        let proposal = try await hub.identity.decide(proposalID: id, accept: accept, actor: actor(context), now: Date())
        context.logger.info("merge proposal decided", metadata: ["proposal": "\(id)", "state": .string(proposal.state)])
        return try JSONResponse.make(proposal)
    }

    private func actor(_ context: HubRequestContext) -> String {
        "agent:" + (context.agentName ?? "unknown")
    }

    private func decode<T: Decodable>(_ type: T.Type, from request: Request, example: String) async throws -> T {
        var request = request
        let body = try await request.collectBytes(limit: hub.manifest.server.maxBodyBytes)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "the body must look like \(example)")
        }
    }
}

struct MergeRequest: Decodable {
    var other: CustomerID
    var reason: String?
}
