package import HubCore

/// A CRM export of customers: the columns the hub understands, each row checked
/// before anything is imported.
package enum CustomerCSV {
    /// One valid row, ready to resolve like an inbound event.
    package struct Row: Sendable, Hashable {
        package var line: Int
        package var name: String?
        package var keys: [IdentityKey]
    }

    /// A row that cannot be imported, with where and why.
    package struct Problem: Sendable, Hashable, CustomStringConvertible {
        package var line: Int
        package var column: String
        package var message: String
        package var description: String { "line \(line), column \(column): \(message)" }
    }

    package struct Parsed: Sendable {
        package var rows: [Row]
        package var problems: [Problem]
        /// Header names that were not understood and are ignored.
        package var ignoredColumns: [String]
    }

    /// Header spellings accepted for each column (compared lower-cased, spaces and dashes as underscores).
    static let aliases: [String: String] = [
        "name": "name", "full_name": "name", "customer_name": "name",
        "email": "email", "e_mail": "email", "email_address": "email",
        "phone": "phone", "mobile": "phone", "telephone": "phone", "phone_number": "phone",
        "external_id": "external_id", "id": "external_id", "crm_id": "external_id", "customer_id": "external_id",
        "wechat_openid": "wechat_openid", "openid": "wechat_openid",
    ]

    /// Checks every row of `text`.
    ///
    /// - Parameters:
    ///   - source: scopes external ids (`source:id`), so two CRMs' ids never collide.
    ///   - verified: whether the CRM's emails and phones count as proven (they usually are, being the business's own records).
    package static func parse(
        _ text: String, normaliser: IdentityNormaliser, source: String, verified: Bool
    ) throws(CSVReader.Malformed) -> Parsed {
        let records = try CSVReader.records(text)
        guard let header = records.first else { throw CSVReader.Malformed(line: 1, message: "the file is empty; expected a header row") }
        var columns: [String?] = []
        var ignored: [String] = []
        for name in header.fields {
            let folded = name.trimmingWhitespace().lowercased().replacingSpacesAndDashes()
            if let column = aliases[folded], !columns.contains(column) {
                columns.append(column)
            } else {
                columns.append(nil)
                ignored.append(name)
            }
        }
        guard columns.contains("email") || columns.contains("phone") || columns.contains("external_id") || columns.contains("wechat_openid")
        else {
            throw CSVReader.Malformed(
                line: header.line,
                message: "the header needs an email, phone or external_id column; found \(header.fields.joined(separator: ", "))")
        }
        var rows: [Row] = []
        var problems: [Problem] = []
        // Spreadsheets export trailing rows of empty cells; they are not customers.
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            guard record.fields.count == columns.count else {
                problems.append(
                    Problem(
                        line: record.line, column: "-", message: "\(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            var row = Row(line: record.line, name: nil, keys: [])
            var rowProblems: [Problem] = []
            for (column, raw) in zip(columns, record.fields) {
                let value = raw.trimmingWhitespace()
                guard let column, !value.isEmpty else { continue }
                switch column {
                case "name":
                    row.name = value
                case "email":
                    let key = normaliser.key(for: IdentityHint(kind: .email, value: value, verified: verified))
                    if key.comparable {
                        row.keys.append(key)
                    } else {
                        rowProblems.append(Problem(line: record.line, column: "email", message: "'\(value)' is not an email address"))
                    }
                case "phone":
                    let key = normaliser.key(for: IdentityHint(kind: .phone, value: value, verified: verified))
                    if key.comparable {
                        row.keys.append(key)
                    } else {
                        rowProblems.append(
                            Problem(
                                line: record.line, column: "phone",
                                message: "'\(value)' is not a phone number in region \(normaliser.defaultRegion)"))
                    }
                case "wechat_openid":
                    // An openid means nothing without its official account: `appid:openid`.
                    guard value.contains(":") else {
                        rowProblems.append(
                            Problem(line: record.line, column: "wechat_openid", message: "write the openid as appid:openid"))
                        continue
                    }
                    row.keys.append(normaliser.key(for: IdentityHint(kind: .wechatOpenID, value: value, verified: true)))
                default:
                    row.keys.append(IdentityKey(kind: .externalID, value: source + ":" + value, verified: true))
                }
            }
            if rowProblems.isEmpty && row.keys.isEmpty {
                rowProblems.append(
                    Problem(line: record.line, column: "email", message: "the row has no email, phone, wechat_openid or external_id"))
            }
            if rowProblems.isEmpty { rows.append(row) } else { problems += rowProblems }
        }
        return Parsed(rows: rows, problems: problems, ignoredColumns: ignored)
    }
}

extension String {
    fileprivate func replacingSpacesAndDashes() -> String {
        String(map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}
