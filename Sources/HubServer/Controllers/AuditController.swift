import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `GET /api/v1/audit?actor=&action=&from=&to=&before=&limit=`: the audit trail for auditors and
/// admins, newest first, as JSON pages or (`format=csv`, `Accept: text/csv`) one streamed CSV of
/// every matching row, with no row cap. An export is itself audited.
struct AuditController: Sendable {
    let audit: AuditStore

    struct AuditPage: ResponseEncodable {
        var entries: [AuditRecord]
        /// Pass as `before` for the next (older) page; `nil` at the end.
        var next: Int64?
    }

    func list(_ request: Request, context: HubRequestContext) async throws -> Response {
        let query = try Self.query(request)
        let limit = try request.limit(default: 100, maximum: 1000)
        let masks = context.principal?.allows(.piiReveal) != true
        if try wantsCSV(request) {
            try await audit.append(
                AuditEntry(
                    at: Date(), actor: context.principal?.actor ?? "anonymous", action: "audit.export", target: "audit",
                    sourceIP: context.sourceIP, detail: request.uri.query.flatMap { $0.isEmpty ? nil : $0 }))
            return csv(query, masks: masks)
        }
        let page = try await audit.page(query, limit: limit)
        let records = masks ? page.records.map(Self.masked) : page.records
        return try AuditPage(entries: records, next: page.next).response(from: request, context: context)
    }

    /// A failed login names the e-mail tried: masked like a customer's for callers without `pii.reveal`.
    static func masked(_ record: AuditRecord) -> AuditRecord {
        guard let target = record.target, target.hasPrefix("email:") else { return record }
        var copy = record
        copy.target = "email:" + PIIMask.email(String(target.dropFirst("email:".count)))
        return copy
    }

    private func csv(_ query: AuditQuery, masks: Bool) -> Response {
        let audit = audit
        let header = CSVLine.make(["id", "at", "actor", "action", "target", "outcome", "source_ip", "detail", "hash"])
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: header))
            try await audit.forEachBatch(query) { records in
                var text = ""
                for record in masks ? records.map(Self.masked) : records {
                    text += CSVLine.make([
                        String(record.id), record.at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), record.actor,
                        record.action, record.target, record.outcome, record.sourceIP, record.detail, record.hash,
                    ])
                }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"audit.csv\""],
            body: body)
    }

    static func query(_ request: Request) throws(HubError) -> AuditQuery {
        var query = AuditQuery(actor: request.filledQuery("actor"), action: request.filledQuery("action"))
        query.from = try date(request, "from")
        // A 'to' before 'from' is a filter nothing matches: an empty page, as with any other filter.
        query.to = try date(request, "to")
        if let before = try request.integerQuery("before") {
            guard before > 0 else { throw HubError.badRequest("invalid_parameter", "'before' must be a row id (1 or more)") }
            query.before = before
        }
        return query
    }

    private static func date(_ request: Request, _ name: String) throws(HubError) -> Date? {
        guard let text = request.query(name) else { return nil }
        guard let date = parseAPIDate(text) else {
            throw HubError.badRequest("invalid_parameter", "'\(name)' must be a time such as 2026-12-01T00:00:00Z")
        }
        return date
    }
}

/// Whether the caller asked for CSV: `format=csv`, or `Accept: text/csv` without `format=json`.
func wantsCSV(_ request: Request) throws(HubError) -> Bool {
    switch try request.oneOf("format", ["json", "csv"]) {
    case "csv": return true
    case "json": return false
    default: return request.headers[.accept]?.contains("text/csv") == true
    }
}
