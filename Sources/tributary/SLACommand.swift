import ArgumentParser
import Foundation
import HubCore

/// `tributary sla replay`: the SLA clocks of described tickets, computed by the hub's own clock
/// code from the manifest's policies and calendars: for checking a policy before deploy, and
/// for the reference test that checks the clocks against an independent implementation.
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Service levels: replay tickets' clocks under the manifest's policies.",
        subcommands: [Replay.self])

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read tickets as JSON lines, print each one's SLA as a JSON line.",
            discussion: """
                Each input line: {"policy": "vip", "now": ISO 8601, "facts": [{"at": ISO 8601, "kind": "created" | "status" | \
                "customer_message" | "agent_reply", "status"?: "pending" …}]}. Each output line has first_response, next_response \
                and resolution (those the policy sets) with state, due_at, warn_at, remaining_seconds and met_at, and the pauses.
                """)

        @OptionGroup var manifest: ManifestOption

        @Argument(help: "The JSON lines file ('-' for standard input).")
        var file: String

        func run() async throws {
            let loaded = try manifest.load()
            let calendars = Dictionary(loaded.calendars.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                guard let date = SLACommand.date(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not ISO 8601: \(text)"))
                }
                return date
            }
            var standardError = StandardError()
            for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
                let input: ReplayInput
                do {
                    input = try decoder.decode(ReplayInput.self, from: Data(line.utf8))
                } catch {
                    print("line \(index + 1): \(error)", to: &standardError)
                    throw ExitCode(1)
                }
                guard let policy = loaded.tickets.policies.first(where: { $0.id == input.policy }) else {
                    print("line \(index + 1): unknown policy '\(input.policy)'", to: &standardError)
                    throw ExitCode(1)
                }
                let calendar = policy.calendar.flatMap { calendars[$0] } ?? .aroundTheClock
                let report = SLAClock.report(facts: input.facts, policy: policy, calendar: calendar, now: input.now)
                print(String(decoding: try APIJSON.encoder.encode(TicketView.SLA(report)), as: UTF8.self))
            }
        }
    }

    /// An ISO 8601 time with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
    }

    struct ReplayInput: Decodable {
        var policy: String
        var now: Date
        var facts: [SLAFact]
    }
}
