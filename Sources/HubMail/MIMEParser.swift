package import Foundation
import HubCore

/// Reads RFC 5322 / MIME messages: nested multiparts, quoted-printable and base64,
/// encoded words, per-part charsets. Anything it cannot read is reported in
/// ``ParsedMail/problems`` and the raw text kept, never thrown away.
package enum MIMEParser {
    package static func parse(_ raw: [UInt8]) -> ParsedMail {
        let (headerBytes, body) = splitHeader(raw[...])
        let headers = MailHeaders(parsing: MailCharset.decodeLeniently(headerBytes, charset: "utf-8").text)
        var collector = Collector()
        walk(headers: headers, body: body, depth: 0, into: &collector)
        let text = collector.plain ?? collector.html.map(HTMLText.readable) ?? ""
        return ParsedMail(
            headers: headers, subject: EncodedWords.decode(headers["Subject"] ?? ""), from: MailAddress.list(headers["From"]).first,
            to: MailAddress.list(headers["To"]), cc: MailAddress.list(headers["Cc"]), replyTo: MailAddress.list(headers["Reply-To"]),
            date: headers["Date"].flatMap(MailDate.parse), messageID: messageIDs(headers["Message-ID"]).first,
            inReplyTo: messageIDs(headers["In-Reply-To"]), references: messageIDs(headers["References"]), text: text,
            html: collector.html, attachments: collector.attachments, problems: collector.problems)
    }

    struct Collector {
        var plain: String?
        var html: String?
        var attachments: [MailAttachment] = []
        var problems: [String] = []
    }

    /// `<a@b> <c@d>` → `["a@b", "c@d"]`; a bare id without brackets is taken as it is.
    package static func messageIDs(_ header: String?) -> [String] {
        guard let header, !header.isEmpty else { return [] }
        var ids: [String] = []
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingWhitespace()
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty {
            ids = header.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init).filter { $0.contains("@") }
        }
        return ids
    }

    static func splitHeader(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                let next = bytes.index(after: index)
                if next < bytes.endIndex && bytes[next] == 0x0A { return (bytes[..<index], bytes[bytes.index(after: next)...]) }
                if next + 1 < bytes.endIndex && bytes[next] == 0x0D && bytes[next + 1] == 0x0A {
                    return (bytes[..<index], bytes[(next + 2)...])
                }
            }
            index += 1
        }
        return (bytes, [])
    }

    static func walk(headers: MailHeaders, body: ArraySlice<UInt8>, depth: Int, into collector: inout Collector) {
        let contentType = HeaderValue(headers["Content-Type"] ?? "text/plain")
        let type = contentType.value.isEmpty ? "text/plain" : contentType.value
        if type.hasPrefix("multipart/") && depth < 20 {
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
                collector.problems.append("a \(type) part has no boundary; its raw text is shown")
                keepRaw(body, into: &collector)
                return
            }
            let parts = split(body, boundary: boundary)
            guard !parts.isEmpty else {
                collector.problems.append("the MIME boundary \"\(boundary)\" never occurs; the raw text is shown")
                keepRaw(body, into: &collector)
                return
            }
            if type == "multipart/alternative" {
                // Take each alternative's best: plain text preferred, HTML kept for the record.
                for part in parts {
                    let (partHeaders, partBody) = splitHeader(part)
                    walk(
                        headers: MailHeaders(parsing: MailCharset.decodeLeniently(partHeaders, charset: "utf-8").text), body: partBody,
                        depth: depth + 1, into: &collector)
                }
                return
            }
            for part in parts {
                let (partHeaders, partBody) = splitHeader(part)
                walk(
                    headers: MailHeaders(parsing: MailCharset.decodeLeniently(partHeaders, charset: "utf-8").text), body: partBody,
                    depth: depth + 1, into: &collector)
            }
            return
        }
        let disposition = HeaderValue(headers["Content-Disposition"])
        let data = transferDecode(body, encoding: headers["Content-Transfer-Encoding"])
        let filename = disposition.parameters["filename"] ?? contentType.parameters["name"]
        let isAttachment = disposition.value == "attachment" || (filename != nil && !type.hasPrefix("text/")) || !type.hasPrefix("text/")
        if !isAttachment && (type == "text/plain" || type == "text/html") {
            let decoded = MailCharset.decodeLeniently(data, charset: contentType.parameters["charset"])
            if !decoded.exact {
                collector.problems.append("unknown charset \"\(contentType.parameters["charset"] ?? "")\"; decoded as UTF-8")
            }
            if type == "text/plain" {
                collector.plain = collector.plain.map { $0 + "\n\n" + decoded.text } ?? decoded.text
            } else {
                collector.html = collector.html.map { $0 + decoded.text } ?? decoded.text
            }
            return
        }
        let contentID = MIMEParser.messageIDs(headers["Content-ID"]).first
        collector.attachments.append(
            MailAttachment(
                filename: filename ?? defaultName(type: type, index: collector.attachments.count), mimeType: type, contentID: contentID,
                inline: disposition.value == "inline" || contentID != nil, data: data))
    }

    static func keepRaw(_ body: ArraySlice<UInt8>, into collector: inout Collector) {
        let text = MailCharset.decodeLeniently(body, charset: "utf-8").text
        collector.plain = collector.plain.map { $0 + "\n\n" + text } ?? text
    }

    static func defaultName(type: String, index: Int) -> String {
        switch type {
        case "message/rfc822": "forwarded-\(index + 1).eml"
        case "image/png": "image-\(index + 1).png"
        case "image/jpeg": "image-\(index + 1).jpg"
        default: "attachment-\(index + 1)"
        }
    }

    static func transferDecode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.trimmingWhitespace().lowercased() {
        case "base64": Base64Lenient.decode(String(decoding: body, as: UTF8.self)) ?? Array(body)
        case "quoted-printable": QuotedPrintable.decode(Array(body))
        default: Array(body)
        }
    }

    /// The parts between `--boundary` lines, up to `--boundary--` (or the end, when a
    /// mailer forgot the closing line).
    static func split(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array("--\(boundary)".utf8)
        var starts: [(lineStart: Int, contentStart: Int, closing: Bool)] = []
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex && body[lineEnd] != 0x0A { lineEnd += 1 }
            let line = body[lineStart..<lineEnd]
            if line.starts(with: marker) {
                let rest = line.dropFirst(marker.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                if closing || rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    starts.append((lineStart, min(lineEnd + 1, body.endIndex), closing))
                    if closing { break }
                }
            }
            lineStart = lineEnd + 1
        }
        var parts: [ArraySlice<UInt8>] = []
        for (index, start) in starts.enumerated() where !start.closing {
            var end = index + 1 < starts.count ? starts[index + 1].lineStart : body.endIndex
            // The line break before a boundary belongs to the boundary.
            if end > start.contentStart && body[end - 1] == 0x0A { end -= 1 }
            if end > start.contentStart && body[end - 1] == 0x0D { end -= 1 }
            parts.append(body[start.contentStart..<max(start.contentStart, end)])
        }
        return parts
    }
}

/// RFC 5322 dates, with the variations mailers produce.
package enum MailDate {
    package static func parse(_ text: String) -> Date? {
        var cleaned = text
        if let paren = cleaned.firstIndex(of: "(") { cleaned = String(cleaned[..<paren]) }
        cleaned = cleaned.trimmingWhitespace()
        if let comma = cleaned.firstIndex(of: ","), cleaned.distance(from: cleaned.startIndex, to: comma) <= 4 {
            cleaned = String(cleaned[cleaned.index(after: comma)...]).trimmingWhitespace()
        }
        for format in ["d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm Z", "d MMM yy HH:mm:ss Z", "d MMM yyyy HH:mm:ss zzz"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = format
            if let date = formatter.date(from: cleaned) { return date }
        }
        return nil
    }

    /// `Tue, 14 Nov 2023 22:13:20 +0000`.
    package static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
