import Foundation
import HubCore

/// RFC 2047 encoded words (`=?charset?B|Q?…?=`) in mail headers.
package enum EncodedWords {
    /// Decodes every encoded word in a header value; whitespace between adjacent
    /// encoded words is dropped, as the RFC says. A word split in the middle of a
    /// multibyte character (common with GBK) is joined with its neighbour before decoding.
    package static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var output = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String?
        var rest = Substring(value)

        func flush() {
            guard let charset = pendingCharset else { return }
            output += MailCharset.decodeLeniently(pendingBytes, charset: charset).text
            pendingBytes = []
            pendingCharset = nil
        }

        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            if let word = parseWord(rest[start.lowerBound...]) {
                if !before.isEmpty {
                    if before.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) && pendingCharset != nil {
                        // Whitespace between two encoded words disappears.
                    } else {
                        flush()
                        output += before
                    }
                }
                if let charset = pendingCharset, charset.lowercased() != word.charset.lowercased() { flush() }
                pendingCharset = word.charset
                pendingBytes += word.bytes
                rest = word.rest
            } else {
                flush()
                output += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
            }
        }
        flush()
        return output + rest
    }

    struct Word {
        var charset: String
        var bytes: [UInt8]
        var rest: Substring
    }

    static func parseWord(_ text: Substring) -> Word? {
        // =?charset?E?text?=
        let body = text.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        var charset = String(body[..<q1])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language suffix
        let afterCharset = body[body.index(after: q1)...]
        guard let encoding = afterCharset.first, afterCharset.dropFirst().first == "?" else { return nil }
        let payloadStart = afterCharset.index(afterCharset.startIndex, offsetBy: 2)
        guard let end = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]?
        switch encoding {
        case "B", "b":
            bytes = Base64Lenient.decode(String(payload))
        case "Q", "q":
            bytes = QuotedPrintable.decode(Array(payload.utf8), underscoreIsSpace: true)
        default:
            bytes = nil
        }
        guard let bytes else { return nil }
        return Word(charset: charset, bytes: bytes, rest: afterCharset[end.upperBound...])
    }

    /// Encodes a header value for sending: ASCII text as it is, anything else as
    /// UTF-8 B-encoded words of at most 75 characters, never splitting a character.
    package static func encode(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value > 126 || $0.value < 32 }) else { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 75 - "=?UTF-8?B?" - "?=" leaves 63 base64 characters: 45 bytes.
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }
}
