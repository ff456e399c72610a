import Foundation

/// WeChat's push XML: one flat `<xml>` element whose children are text or CDATA.
///
/// A small reader of exactly that shape, because the shape is all WeChat sends and
/// a general XML parser would accept (and expand) far more than it should.
enum WeChatXML {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The `<xml>` element's children by name. Throws on anything but a flat document.
    static func fields(_ text: String) throws(Malformed) -> [String: String] {
        var scanner = Substring(text)
        scanner = scanner.drop(while: \.isWhitespace)
        if scanner.hasPrefix("<?xml") {
            guard let end = scanner.range(of: "?>") else { throw Malformed(description: "unterminated XML declaration") }
            scanner = scanner[end.upperBound...].drop(while: \.isWhitespace)
        }
        guard scanner.hasPrefix("<xml>") else { throw Malformed(description: "the body is not a WeChat <xml> document") }
        scanner = scanner.dropFirst(5)
        var fields: [String: String] = [:]
        while true {
            scanner = scanner.drop(while: \.isWhitespace)
            if scanner.hasPrefix("</xml>") {
                guard scanner.dropFirst(6).allSatisfy(\.isWhitespace) else { throw Malformed(description: "content after </xml>") }
                return fields
            }
            guard scanner.hasPrefix("<"), let close = scanner.firstIndex(of: ">") else {
                throw Malformed(description: "expected an element or </xml>")
            }
            let name = String(scanner[scanner.index(after: scanner.startIndex)..<close])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw Malformed(description: "unexpected markup '<\(name.prefix(20))>'")
            }
            scanner = scanner[scanner.index(after: close)...]
            var value = ""
            if scanner.hasPrefix("<![CDATA[") {
                guard let end = scanner.range(of: "]]>") else { throw Malformed(description: "unterminated CDATA in <\(name)>") }
                value = String(scanner[scanner.index(scanner.startIndex, offsetBy: 9)..<end.lowerBound])
                scanner = scanner[end.upperBound...]
            } else {
                guard let end = scanner.firstIndex(of: "<") else { throw Malformed(description: "unterminated <\(name)>") }
                value = try unescape(String(scanner[..<end]))
                scanner = scanner[end...]
            }
            let closing = "</\(name)>"
            guard scanner.hasPrefix(closing) else { throw Malformed(description: "<\(name)> is not closed by \(closing)") }
            scanner = scanner.dropFirst(closing.count)
            if fields[name] == nil { fields[name] = value }
        }
    }

    static func unescape(_ text: String) throws(Malformed) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw Malformed(description: "bare '&' in text") }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "lt": result += "<"
            case "gt": result += ">"
            case "amp": result += "&"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let digits =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                guard let code = digits, let scalar = Unicode.Scalar(code) else {
                    throw Malformed(description: "unknown entity '&\(entity.prefix(10));'")
                }
                result.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    /// Builds a flat `<xml>` document; text goes in CDATA (split where it contains `]]>`).
    static func document(_ fields: [(String, String)], numeric: Set<String> = []) -> String {
        var xml = "<xml>"
        for (name, value) in fields {
            if numeric.contains(name) {
                xml += "<\(name)>\(value)</\(name)>"
            } else {
                xml += "<\(name)><![CDATA[\(value.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>"))]]></\(name)>"
            }
        }
        return xml + "</xml>"
    }
}
