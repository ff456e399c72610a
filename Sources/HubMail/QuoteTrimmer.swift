import Foundation
import HubCore

/// Cuts the signature and quoted history from a reply's text: English and Chinese reply headers
/// (with ASCII or full-width colons), Outlook's original-message blocks, and a
/// trailing run of `>` lines.
package enum QuoteTrimmer {
    package static func trim(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        var cut = lines.count
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            let next = index + 1 < lines.count ? lines[index + 1].trimmingWhitespace() : ""
            // "-- " starts the signature (RFC 3676); the quote usually follows it.
            let signature = line == "-- " || line == "--"
            if signature || isReplyHeader(trimmed, next: next) || isOriginalMessageMarker(trimmed) || isHeaderBlock(lines, at: index) {
                cut = index
                break
            }
        }
        var kept = Array(lines[..<cut])
        // A trailing block of quoted lines (and the blank lines around it).
        while let last = kept.last, last.trimmingWhitespace().isEmpty || last.hasPrefix(">") {
            kept.removeLast()
        }
        let result = kept.joined(separator: "\n").trimmingWhitespace()
        return result.isEmpty ? text.trimmingWhitespace() : result
    }

    static func endsWithColon(_ text: String) -> Bool {
        text.hasSuffix(":") || text.hasSuffix("：")
    }

    static func isReplyHeader(_ line: String, next: String) -> Bool {
        // "On Tue, 14 Nov 2023, Support <s@x> wrote:" (sometimes wrapped onto two lines).
        if line.hasPrefix("On ") && (line.hasSuffix("wrote:") || (next.hasSuffix("wrote:") && !next.hasPrefix("On "))) { return true }
        // "在 2023年11月14日 22:13，客服 <s@x> 写道：" / "…写道:"
        if line.hasPrefix("在") && (line.contains("写道") || next.contains("写道")) && (endsWithColon(line) || endsWithColon(next)) {
            return true
        }
        if line.hasPrefix("Le ") && line.hasSuffix("a écrit :") { return true }
        if line.hasPrefix("Am ") && line.hasSuffix("schrieb:") { return true }
        return false
    }

    static func isOriginalMessageMarker(_ line: String) -> Bool {
        let folded = line.lowercased()
        if folded.hasPrefix("-----")
            && (folded.contains("original message") || folded.contains("原始邮件") || folded.contains("forwarded message"))
        {
            return true
        }
        if line.hasPrefix("------------------") && line.contains("原始") { return true }
        if line.hasPrefix("________________________________") { return true }
        return false
    }

    /// `From: …` / `发件人：…` followed by more header lines (Sent, To, Subject): a quoted
    /// message's header block, as Outlook and QQ Mail write it.
    static func isHeaderBlock(_ lines: [String], at index: Int) -> Bool {
        let names = ["from", "发件人", "寄件者"]
        let line = lines[index].trimmingWhitespace()
        guard let name = headerName(line), names.contains(name.lowercased()) else { return false }
        let following = lines[(index + 1)...].prefix(4).compactMap { headerName($0.trimmingWhitespace())?.lowercased() }
        let known: Set<String> = ["sent", "to", "subject", "date", "cc", "发送时间", "收件人", "主题", "日期", "抄送", "时间"]
        return following.contains(where: known.contains)
    }

    static func headerName(_ line: String) -> String? {
        guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
        let name = line[..<colon].trimmingWhitespace()
        guard !name.isEmpty, name.count <= 12 else { return nil }
        return name.replacingOccurrences(of: "*", with: "")
    }
}
