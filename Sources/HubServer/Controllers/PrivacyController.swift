import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `/api/v1/customers/{id}/reveal` and `/export`: one masked value shown for a stated reason,
/// and everything held about a person; both are audited by the routes that wrap them.
struct PrivacyController: Sendable {
    let customers: CustomerStore
    let exporter: CustomerExporter
    let maxBodyBytes: Int

    struct RevealRequest: Decodable {
        var field: String
        var reason: String
    }

    /// The unmasked values of one field, and the audit trail's detail: the field and the reason.
    struct Revealed: ResponseEncodable, AuditDescribed {
        var customer: CustomerID
        var field: String
        var values: [String]
        var reason: String

        var auditDetail: String? { "\(field): \(reason)" }

        enum CodingKeys: String, CodingKey {
            case customer, field, values
        }
    }

    /// `POST /api/v1/customers/{id}/reveal {"field": "phone"|"email"|"address"|"payment"|attribute name, "reason"}`.
    func reveal(_ request: Request, context: HubRequestContext) async throws -> Revealed {
        let body = try await request.decodeJSON(
            RevealRequest.self, limit: maxBodyBytes, example: #"{"field": "phone", "reason": "the customer asked for a call back"}"#)
        let reason = body.reason.trimmingWhitespace()
        guard reason.count >= 5 else {
            throw HubError.badRequest("reason_required", "say why the value is needed ('reason', 5 characters or more): it is audited")
        }
        guard let profile = try await customers.profile(id: try context.parameters.id("id", resource: "customer")) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        let field = body.field.trimmingWhitespace()
        var values: [String] = []
        if let kind = PIIMask.Field(rawValue: field) {
            values += profile.identities.filter { PIIMask.Field(identityKind: $0.kind) == kind }.map(\.value)
            values += profile.attributes.filter { PIIMask.Field(attributeName: $0.name) == kind }.flatMap { $0.values.map(\.value) }
        } else if let attribute = profile.attributes.first(where: { $0.name == field }) {
            values = attribute.values.map(\.value)
        } else {
            let known = PIIMask.Field.allCases.map(\.rawValue) + profile.attributes.map(\.name)
            throw HubError.badRequest("unknown_field", "'field' must be one of: \(known.joined(separator: ", "))")
        }
        var unique: [String] = []
        for value in values where !unique.contains(value) { unique.append(value) }
        return Revealed(customer: profile.id, field: field, values: unique, reason: reason)
    }

    /// `GET /api/v1/customers/{id}/export`: the whole document as JSON.
    func export(_ request: Request, context: HubRequestContext) async throws -> Response {
        guard let export = try await exporter.export(customerID: try context.parameters.id("id", resource: "customer"), now: Date()) else {
            throw HubError.notFound("unknown_customer", "no customer with that id")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"customer-\(export.customerID).json\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try CustomerExporter.json(export))))
    }
}
