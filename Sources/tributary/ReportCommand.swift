import ArgumentParser
import Foundation
import HubCore
import HubServer
import HubStorage

/// `tributary report NAME --from --to [--group-by] [--tz] [--csv]`: the API's report from the command line.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print a report: \(ReportName.allCases.map(\.rawValue).joined(separator: ", ")).")

    @OptionGroup var manifest: ManifestOption
    @Argument(help: "The report.") var name: String
    @Option(help: "Start, as 2026-12-01 or 2026-12-01T08:00:00Z (default: 30 days before --to).") var from: String?
    @Option(help: "End, exclusive (default: now).") var to: String?
    @Option(name: .customLong("group-by"), help: "channel, team, agent, intent, queue, day or none (agents: agent).") var groupBy: String?
    @Option(help: "The time zone days are counted in (an IANA name).") var tz: String = "UTC"
    @Flag(help: "CSV instead of JSON.") var csv = false

    func run() async throws {
        var standardError = StandardError()
        do {
            guard let report = ReportName(rawValue: name) else {
                throw HubError.badRequest(
                    "unknown_report", "no report '\(name)'; known: \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let grouping = groupBy.map({ ReportGrouping(rawValue: $0) }) ?? ReportRequest.defaultGrouping(for: report) else {
                throw HubError.badRequest("invalid_parameter", "--group-by must be channel, team, agent, intent, queue, day or none")
            }
            guard let zone = TimeZone(identifier: tz) else { throw HubError.badRequest("invalid_parameter", "unknown time zone '\(tz)'") }
            let end = try to.map { try Self.date($0) } ?? Date()
            let start = try from.map { try Self.date($0) } ?? end.addingTimeInterval(-ReportRequest.defaultRange)
            let request = try ReportRequest(name: report, from: start, to: end, grouping: grouping, timeZone: zone, timeZoneName: tz)
            let answer = try await ReportStore(database: try manifest.openDatabase()).answer(request)
            if csv {
                print(answer.csv, terminator: "")
            } else {
                print(String(decoding: try APIJSON.encoder.encode(answer), as: UTF8.self))
            }
        } catch let error as HubError {
            print("error: \(error.message)", to: &standardError)
            throw ExitCode(1)
        }
    }

    static func date(_ text: String) throws(HubError) -> Date {
        if let date = ReportRequest.time(text) { return date }
        throw HubError.badRequest("invalid_parameter", "'\(text)' is not a time such as 2026-12-01 or 2026-12-01T08:00:00Z")
    }
}
