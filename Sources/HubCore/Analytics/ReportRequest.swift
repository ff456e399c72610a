package import Foundation

/// The reports `GET /api/v1/reports/{name}` answers.
package enum ReportName: String, Sendable, CaseIterable, Codable {
    case volume
    case firstResponse = "first_response"
    case resolution, bot, sla, csat, backlog, agents
}

/// What a report's rows are: one per value of a dimension, or one per local day.
package enum ReportGrouping: String, Sendable, CaseIterable, Codable {
    case channel, team, agent, intent, queue, day, none
}

/// A report's range, grouping and time zone, checked: at most two years, `from` before `to`.
package struct ReportRequest: Sendable, Hashable {
    package static let longestRange: TimeInterval = 731 * 86_400
    /// The range when the caller names no start: the 30 days before the end.
    package static let defaultRange: TimeInterval = 30 * 86_400

    /// Rows per agent for the agents report, one total row otherwise, unless the caller groups.
    package static func defaultGrouping(for name: ReportName) -> ReportGrouping {
        name == .agents ? .agent : .none
    }

    /// A range's end as the API and the command line take it: `2026-12-01T08:00:00Z` (fractional
    /// seconds allowed) or a bare day `2026-12-01`, its UTC midnight.
    package static func time(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        return fractional.date(from: text) ?? plain.date(from: text) ?? plain.date(from: text + "T00:00:00Z")
    }

    package var name: ReportName
    package var from: Date
    package var to: Date
    package var grouping: ReportGrouping
    package var timeZone: TimeZone
    /// The zone as the caller named it (Foundation calls UTC "GMT").
    package var timeZoneName: String?

    package init(
        name: ReportName, from: Date, to: Date, grouping: ReportGrouping, timeZone: TimeZone, timeZoneName: String? = nil
    ) throws(HubError) {
        guard from < to else { throw HubError.badRequest("invalid_range", "'from' must be before 'to'") }
        guard to.timeIntervalSince(from) <= Self.longestRange else {
            throw HubError.badRequest("range_too_long", "a report covers at most two years")
        }
        self.name = name
        self.from = from
        self.to = to
        self.grouping = grouping
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName
    }

    /// The UTC hours the range covers, `[first, last)`: hours are the finest bucket facts keep.
    package var hours: Range<Int64> {
        Int64((from.timeIntervalSince1970 / 3600).rounded(.down))..<Int64((to.timeIntervalSince1970 / 3600).rounded(.up))
    }

    /// The local day (`2026-12-03`) an hour's start falls on in the report's time zone.
    package func day(ofHour hour: Int64) -> String {
        let instant = Date(timeIntervalSince1970: Double(hour) * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// One row of a report: its group and its figures (counts, seconds, rates; `nil` where nothing was measured).
package struct ReportRow: Sendable, Encodable {
    package var group: String
    package var figures: [(String, Double?)]

    package init(group: String, figures: [(String, Double?)]) {
        self.group = group
        self.figures = figures
    }

    package func value(_ name: String) -> Double? {
        figures.first { $0.0 == name }?.1
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(group, forKey: Key(stringValue: "group"))
        for (name, value) in figures {
            if let value {
                if value == value.rounded(), abs(value) < 1e15 {
                    try container.encode(Int64(value), forKey: Key(stringValue: name))
                } else {
                    try container.encode((value * 1000).rounded() / 1000, forKey: Key(stringValue: name))
                }
            } else {
                try container.encodeNil(forKey: Key(stringValue: name))
            }
        }
    }
}

/// A report's answer: `{"rows": [{"group": …, …figures}], "total": {…}}`.
package struct ReportAnswer: Sendable, Encodable {
    package var report: ReportName
    package var from: Date
    package var to: Date
    package var groupBy: ReportGrouping
    package var timeZone: String
    package var rows: [ReportRow]
    package var total: ReportRow

    package init(request: ReportRequest, rows: [ReportRow], total: ReportRow) {
        self.report = request.name
        self.from = request.from
        self.to = request.to
        self.groupBy = request.grouping
        self.timeZone = request.timeZoneName ?? request.timeZone.identifier
        self.rows = rows
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case report, from, to, rows, total
        case groupBy = "group_by"
        case timeZone = "tz"
    }
}

extension ReportAnswer {
    /// The header, one line per row, then the total, as CSV.
    package var csv: String {
        let names = total.figures.map(\.0)
        var text = CSVLine.make(["group"] + names)
        for row in rows + [total] {
            text += CSVLine.make([row.group] + names.map { name in row.value(name).map(Self.number) })
        }
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }
}
