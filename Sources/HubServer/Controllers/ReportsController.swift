import Foundation
import HubCore
import HubStorage
import Hummingbird
import NIOCore

/// `GET /api/v1/reports/{name}?from=&to=&group_by=&tz=`: a report as JSON, or (`format=csv`,
/// `Accept: text/csv`) as CSV with every row.
struct ReportsController: Sendable {
    let reports: ReportStore

    func report(_ request: Request, context: HubRequestContext) async throws -> Response {
        let answer = try await reports.answer(try Self.request(request, name: try context.parameters.text("name")))
        if try wantsCSV(request) {
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(answer.report.rawValue).csv\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.csv)))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder.encode(answer))))
    }

    static func request(_ request: Request, name: String) throws(HubError) -> ReportRequest {
        guard let report = ReportName(rawValue: name) else {
            throw HubError.notFound(
                "unknown_report", "no report '\(name)'; known: \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        // The agents report is per agent unless asked for its total alone.
        let grouping = try request.oneOf("group_by", ReportGrouping.self) ?? ReportRequest.defaultGrouping(for: report)
        let zoneName = request.filledQuery("tz") ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw HubError.badRequest("invalid_parameter", "'tz' must be an IANA time zone such as Asia/Shanghai")
        }
        let now = Date()
        let to = try date(request, "to") ?? now
        let from = try date(request, "from") ?? to.addingTimeInterval(-ReportRequest.defaultRange)
        return try ReportRequest(name: report, from: from, to: to, grouping: grouping, timeZone: timeZone, timeZoneName: zoneName)
    }

    private static func date(_ request: Request, _ name: String) throws(HubError) -> Date? {
        guard let text = request.query(name) else { return nil }
        if let date = ReportRequest.time(text) { return date }
        throw HubError.badRequest("invalid_parameter", "'\(name)' must be a time such as 2026-12-01T00:00:00Z or a day 2026-12-01")
    }
}
