import Foundation
import HubCore

/// HTML mail bodies as readable text, for messages that have no text part: quoted
/// history (`blockquote type="cite"`, Gmail's quote) dropped, blocks on their own lines,
/// entities decoded.
package enum HTMLText {
    package static func readable(_ html: String) -> String {
        var text = html
        for tag in ["script", "style", "head", "title"] { text = removeElements(tag, from: text) }
        text = removeElements("blockquote", from: text, only: "type=\"cite\"")
        text = removeElements("div", from: text, only: "gmail_quote")
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                rest = rest[rest.index(after: open)...]
                continue
            }
            let tag = rest[rest.index(after: open)..<close].lowercased().trimmingWhitespace()
            let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })
            if ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "table", "blockquote"].contains(String(name)) { output += "\n" }
            if name == "li" && !tag.hasPrefix("/") { output += "• " }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        let decoded = decodeEntities(output)
        // Collapse runs of spaces and of blank lines.
        var lines: [String] = []
        for line in decoded.split(separator: "\n", omittingEmptySubsequences: false) {
            let collapsed = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).joined(separator: " ")
            if collapsed.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(collapsed)
        }
        return lines.joined(separator: "\n").trimmingWhitespace()
    }

    static func removeElements(_ name: String, from html: String, only marker: String? = nil) -> String {
        var output = ""
        var rest = Substring(html)
        let opening = "<\(name)"
        let closing = "</\(name)>"
        while let start = rest.range(of: opening, options: .caseInsensitive) {
            guard let tagEnd = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.lowerBound...tagEnd]
            if let marker, !tag.lowercased().contains(marker.lowercased()) {
                output += rest[..<rest.index(after: tagEnd)]
                rest = rest[rest.index(after: tagEnd)...]
                continue
            }
            output += rest[..<start.lowerBound]
            // Skip to the matching close, counting nested elements of the same name.
            var depth = 1
            var cursor = rest.index(after: tagEnd)
            while depth > 0 {
                let nextOpen = rest[cursor...].range(of: opening, options: .caseInsensitive)
                guard let nextClose = rest[cursor...].range(of: closing, options: .caseInsensitive) else {
                    cursor = rest.endIndex
                    break
                }
                if let nextOpen, nextOpen.lowerBound < nextClose.lowerBound {
                    depth += 1
                    cursor = nextOpen.upperBound
                } else {
                    depth -= 1
                    cursor = nextClose.upperBound
                }
            }
            rest = rest[cursor...]
        }
        return output + rest
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "#39": "'"]
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(10).firstIndex(of: ";") else {
                output += "&"
                rest = after
                continue
            }
            let entity = String(after[..<semicolon])
            if let value = named[entity.lowercased()] {
                output += value
            } else if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                output.unicodeScalars.append(scalar)
            } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                output.unicodeScalars.append(scalar)
            } else {
                output += "&" + entity + ";"
            }
            rest = after[after.index(after: semicolon)...]
        }
        return output + rest
    }
}
