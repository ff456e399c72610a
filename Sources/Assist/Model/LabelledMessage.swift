import Foundation

/// One line of an intents file (`../shared/ASSIST.md`):
/// `{"text", "lang", "intent", "sentiment"?}`.
package struct LabelledMessage: Sendable, Hashable, Codable {
    package var text: String
    package var lang: String?
    package var intent: String
    package var sentiment: String?

    package init(text: String, lang: String? = nil, intent: String, sentiment: String? = nil) {
        self.text = text
        self.lang = lang
        self.intent = intent
        self.sentiment = sentiment
    }
}

/// A line of a JSON Lines file that cannot be read, by file and line.
package struct JSONLinesError: Error, CustomStringConvertible, Sendable {
    package var file: String
    package var line: Int
    package var reason: String

    package var description: String { "\(file):\(line): \(reason)" }
}

/// Reads JSON Lines files: one object a line, blank lines skipped, errors by file and line.
package enum JSONLines {
    package static func read<Row: Decodable>(_ type: Row.Type, from path: String) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONLinesError(file: path, line: 0, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JSONLinesError(file: path, line: 0, reason: "is not UTF-8")
        }
        return try decode(type, text: text, file: path)
    }

    package static func decode<Row: Decodable>(_ type: Row.Type, text: String, file: String) throws -> [Row] {
        let decoder = JSONDecoder()
        var rows: [Row] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                rows.append(try decoder.decode(Row.self, from: Data(trimmed.utf8)))
            } catch let DecodingError.keyNotFound(key, _) {
                throw JSONLinesError(file: file, line: offset + 1, reason: "missing \"\(key.stringValue)\"")
            } catch let DecodingError.typeMismatch(_, context) {
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw JSONLinesError(file: file, line: offset + 1, reason: "\"\(path)\" has the wrong type")
            } catch {
                throw JSONLinesError(file: file, line: offset + 1, reason: "not a JSON object")
            }
        }
        return rows
    }
}
