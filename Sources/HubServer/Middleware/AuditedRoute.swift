import Foundation
import HubCore
import HubStorage
import Hummingbird
import Logging

/// An answer that tells the audit trail more than its route does (the role an agent now has).
protocol AuditDescribed {
    var auditDetail: String? { get }
}

extension AuditStore {
    /// Wraps a route whose effect the audit trail keeps: after the handler, a row with the caller,
    /// `action`, the target (`target` with `{name}` replaced by the path's parameter, such as
    /// `customer:{id}`), the client's address and the outcome: `ok`, or `failed` with the error's
    /// code. Refusals (`401`, `403`) are left to ``AgentAuthMiddleware``, which records them all.
    ///
    /// The row is written after the action commits: an action that succeeded is never undone
    /// because its row could not be written, and that failure is logged as an error.
    func recording<Output: ResponseGenerator>(
        _ action: String, target: String? = nil,
        _ handler: @escaping @Sendable (Request, HubRequestContext) async throws -> Output
    ) -> @Sendable (Request, HubRequestContext) async throws -> Output {
        { request, context in
            let entry = { (outcome: String, detail: String?) in
                AuditEntry(
                    at: Date(), actor: context.principal?.actor ?? "anonymous", action: action,
                    target: target.map { Self.fill($0, context.parameters) }, outcome: outcome, sourceIP: context.sourceIP,
                    detail: detail)
            }
            let output: Output
            do {
                output = try await handler(request, context)
            } catch let error as HubError where error.kind != .unauthorized && error.kind != .forbidden {
                await keep(entry("failed", error.code), context: context)
                throw error
            }
            await keep(entry("ok", (output as? any AuditDescribed)?.auditDetail), context: context)
            return output
        }
    }

    /// A `401` or `403`: `access.denied` with the caller (if any), "METHOD path" and the reason.
    func recordRefusal(_ refusal: HubError, of request: Request, by caller: Principal?, context: HubRequestContext) async {
        await keep(
            AuditEntry(
                at: Date(), actor: caller?.actor ?? "anonymous", action: "access.denied",
                target: "\(request.method.rawValue) \(request.uri.path)",
                outcome: refusal.kind == .unauthorized ? "unauthenticated" : "forbidden", sourceIP: context.sourceIP,
                detail: refusal.code), context: context)
    }

    private func keep(_ entry: AuditEntry, context: HubRequestContext) async {
        do { try await append(entry) } catch {
            context.logger.error("the audit trail refused a row", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }

    /// `customer:{id}` with the path's `id`.
    private static func fill(_ template: String, _ parameters: Parameters) -> String {
        var text = template
        while let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") {
            let name = String(text[text.index(after: open)..<close])
            text.replaceSubrange(open...close, with: parameters.get(name) ?? "?")
        }
        return text
    }
}
