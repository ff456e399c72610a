import Foundation
import HubCore

/// A message's or part's header fields in order, unfolded.
package struct MailHeaders: Sendable, Hashable {
    package var fields: [Field]

    package struct Field: Sendable, Hashable {
        package var name: String
        package var value: String
    }

    package init(fields: [Field] = []) {
        self.fields = fields
    }

    /// Parses a header block; continuation lines are joined, the raw text is kept
    /// (decode encoded words per field as needed).
    package init(parsing text: String) {
        var fields: [Field] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if let first = line.first, first == " " || first == "\t" {
                guard !fields.isEmpty else { continue }
                fields[fields.count - 1].value += " " + line.trimmingWhitespace()
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingWhitespace()
                guard !name.isEmpty, !name.contains(" ") else { continue }
                fields.append(Field(name: name, value: line[line.index(after: colon)...].trimmingWhitespace()))
            }
        }
        self.fields = fields
    }

    /// The first value of `name`, compared case-insensitively.
    package subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    package func all(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// A header value with parameters: `text/plain; charset="gbk"; format=flowed`.
package struct HeaderValue: Sendable, Hashable {
    /// The part before the first `;`, lower-cased.
    package var value: String
    /// Parameter names lower-cased; RFC 2231 `name*=charset''%XX` values decoded.
    package var parameters: [String: String]

    package init(_ text: String?) {
        let text = text ?? ""
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current)
        value = pieces.first?.trimmingWhitespace().lowercased() ?? ""
        var parameters: [String: String] = [:]
        var continued: [String: [(Int, String, Bool)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingWhitespace().lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingWhitespace()
            if raw.hasPrefix("\"") && raw.hasSuffix("\"") && raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
            var extended = false
            if name.hasSuffix("*") {
                extended = true
                name.removeLast()
            }
            // name*0, name*1*: RFC 2231 continuations.
            if let star = name.lastIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                continued[String(name[..<star]), default: []].append((index, raw, extended))
                continue
            }
            parameters[name] = extended ? HeaderValue.decode2231(raw) : EncodedWords.decode(raw)
        }
        for (name, pieces) in continued {
            let ordered = pieces.sorted { $0.0 < $1.0 }
            let joined = ordered.map(\.1).joined()
            parameters[name] = ordered.first?.2 == true ? HeaderValue.decode2231(joined) : EncodedWords.decode(joined)
        }
        self.parameters = parameters
    }

    /// `charset'language'percent-encoded`.
    static func decode2231(_ text: String) -> String {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return text.removingPercentEncodingLeniently() }
        let bytes = Array(String(pieces[2]).utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = QuotedPrintable.hex(bytes[index + 1]),
                let low = QuotedPrintable.hex(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return MailCharset.decodeLeniently(decoded, charset: String(pieces[0])).text
    }
}

extension String {
    func removingPercentEncodingLeniently() -> String {
        removingPercentEncoding ?? self
    }
}
