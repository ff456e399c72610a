import Foundation
import HubCore
import HubCurl
import HubMail
import Testing

@testable import Email

/// A small seeded generator, so that a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The e-mail channel's decode path (MIME parsing, charsets, encoded words, quote and HTML
/// trimming, threading headers) on generated mails, a mutation of real shapes each: it must
/// never trap or hang. `FUZZ_CASES` sets how many (default 10,000); `FUZZ_SEED` the seed.
@Suite struct MailFuzzTests {
    static let cases = Int(ProcessInfo.processInfo.environment["FUZZ_CASES"] ?? "") ?? 10_000
    static let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? 20_261_202

    static let fragments: [String] = [
        "", " ", "\r\n", "\n", "\r", "\t", "=", "==", "=?", "?=", "=?utf-8?B?", "=?gbk?Q?=D6=D0?=", "=?GB2312?B?1tDOxA==?=",
        "=?big5?B?pKSk5Q==?=", "=?x-unknown?Q?abc?=", "=?utf-8?Q?=E4=BD?=", "=C3", "=\r\n", "=ZZ", "--", "--b", "--b--", "boundary=",
        "boundary=\"b\"", "charset=", "charset=gb18030", "charset=\"utf-8\"", "name*=utf-8''%E4%B8%AD.pdf", "name*0*=utf-8''%E4",
        "name*1*=%B8%AD", "filename=\"", ";", ":", "<", ">", "<br>", "<blockquote type=\"cite\">", "</div>", "&nbsp;", "&#x4e2d;",
        "&#99999999;", "&", "\u{0}", "\u{FEFF}", "订单", "回复：", "Re: ", "On Mon, 1 Jan 2024 wrote:", "在 2024年1月1日 写道：",
        "-----原始邮件-----", "> quoted", "-- \r\n", "From: x\r\nSent: y\r\n", "发件人：", "AAAA", "////", "base64", "quoted-printable",
        "7bit", "x-uuencode", String(repeating: "a", count: 2000), String(repeating: "=", count: 500), "Ω", "🙂",
    ]

    static let headers = [
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Content-Type", "Content-Transfer-Encoding",
        "Content-Disposition", "MIME-Version", "Auto-Submitted", "X-Autoreply", "Precedence", "List-Id", "Authentication-Results",
        "Reply-To", "Return-Path",
    ]

    static func piece(_ rng: inout SplitMix64) -> String {
        if Int.random(in: 0..<4, using: &rng) == 0 {
            return String(
                (0..<Int.random(in: 0...12, using: &rng)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng))) }
            )
        }
        return fragments.randomElement(using: &rng) ?? ""
    }

    static func value(_ rng: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &rng)).map { _ in piece(&rng) }.joined()
    }

    /// A mail: a header block (real names, odd values, folded lines), then a body that may be
    /// multipart with nested parts, encodings and broken boundaries.
    static func mail(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...10, using: &rng) {
            let name = Bool.random(using: &rng) ? headers.randomElement(using: &rng)! : piece(&rng)
            text += "\(name): \(value(&rng))"
            if Int.random(in: 0..<5, using: &rng) == 0 { text += "\r\n \(value(&rng))" }
            text += ["\r\n", "\n", "\r"].randomElement(using: &rng)!
        }
        if depth == 0 && Int.random(in: 0..<5, using: &rng) != 0 {
            text +=
                "From: \(["张三 <z@example.cn>", "=?gbk?B?1cXI/Q==?= <z@example.cn>", "<>", "a@", "@b", "\"q\" <q@x.y>"].randomElement(using: &rng)!)\r\n"
        }
        if depth < 3 && Bool.random(using: &rng) {
            let boundary = Bool.random(using: &rng) ? "b\(depth)" : value(&rng)
            text +=
                "Content-Type: multipart/\(["mixed", "alternative", "related", "report", piece(&rng)].randomElement(using: &rng)!); boundary=\"\(boundary)\"\r\n\r\n"
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                text += "--\(Bool.random(using: &rng) ? boundary : value(&rng))\r\n" + mail(&rng, depth: depth + 1) + "\r\n"
            }
            if Bool.random(using: &rng) { text += "--\(boundary)--\r\n" }
        } else {
            text +=
                "Content-Type: \(["text/plain", "text/html", "application/pdf", "message/rfc822", piece(&rng)].randomElement(using: &rng)!); charset=\(["utf-8", "gbk", "big5", "iso-8859-1", "x", ""].randomElement(using: &rng)!)\r\n"
            text +=
                "Content-Transfer-Encoding: \(["base64", "quoted-printable", "7bit", "8bit", piece(&rng)].randomElement(using: &rng)!)\r\n\r\n"
            text += (0..<Int.random(in: 0...30, using: &rng)).map { _ in piece(&rng) }.joined(
                separator: Bool.random(using: &rng) ? "\r\n" : " ")
        }
        return text
    }

    @Test func generatedMailsNeverTrapTheDecodePath() throws {
        let adapter = EmailAdapter(
            channelID: "mail", imapURL: "imap://127.0.0.1:9", mailbox: "INBOX", smtpURL: "smtp://127.0.0.1:9", username: "u", password: "p",
            from: MailAddress(address: "support@example.com"), replyToTemplate: nil, messageIDDomain: "example.com", tls: .none,
            caFile: nil, batch: 10, pollInterval: nil, curl: CurlClient(workers: 1))
        var rng = SplitMix64(state: Self.seed)
        var decoded = 0
        var refused = 0
        var withAttachments = 0
        let started = ContinuousClock.now
        for _ in 0..<Self.cases {
            var bytes = Array(Self.mail(&rng).utf8)
            // Raw bytes too: 8-bit GBK, cut mid-character, NULs.
            for _ in 0..<Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Int.random(in: 0..<10, using: &rng) == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
            do {
                let events = try adapter.decode(RawInbound(channelID: "mail", body: bytes, contentType: nil, receivedAt: Date()))
                decoded += 1
                if case .message(let message)? = events.first, message.parts.count > 1 { withAttachments += 1 }
            } catch {
                #expect(error.code == "missing_sender")
                refused += 1
            }
        }
        #expect(decoded + refused == Self.cases)
        #expect(decoded > Self.cases / 10, "enough generated mails have a sender to reach the whole decode path")
        print(
            "mail fuzz: \(Self.cases) mails, \(decoded) decoded (\(withAttachments) with extra parts), \(refused) without a sender, in \(ContinuousClock.now - started)"
        )
    }
}
