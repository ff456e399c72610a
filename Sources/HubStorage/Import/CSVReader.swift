import HubCore

/// Reads RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks
/// inside quotes, CRLF or LF line ends, and a UTF-8 byte-order mark.
package enum CSVReader {
    /// One record with the line it starts on (1-based), for error messages.
    package struct Record: Sendable, Hashable {
        package var line: Int
        package var fields: [String]

        package init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// A file that cannot be read as CSV at all.
    package struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        package var line: Int
        package var message: String
        package var description: String { "line \(line): \(message)" }

        package init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    package static func records(_ text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedOn = 0
        var fieldStarted = false
        var closedQuote = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        func endRecord() {
            fields.append(field)
            // A blank line is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
            closedQuote = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if inQuotes {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                        closedQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case "\"":
                    guard !fieldStarted else { throw Malformed(line: line, message: "a quote inside an unquoted field") }
                    inQuotes = true
                    fieldStarted = true
                    quoteOpenedOn = line
                case ",":
                    fields.append(field)
                    field = ""
                    fieldStarted = false
                    closedQuote = false
                case "\r":
                    break
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if closedQuote { throw Malformed(line: line, message: "text after a closing quote") }
                    field.unicodeScalars.append(scalar)
                    fieldStarted = true
                }
            }
            index += 1
        }
        if inQuotes { throw Malformed(line: quoteOpenedOn, message: "a quoted field is never closed") }
        if fieldStarted || !fields.isEmpty || !field.isEmpty { endRecord() }
        return records
    }
}
