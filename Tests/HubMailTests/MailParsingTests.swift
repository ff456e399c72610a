import Foundation
import HubCore
import HubMail
import Testing

/// MIME, encoded words, Chinese charsets, quote trimming and composing, on the
/// `.eml` samples and generated cases.
@Suite struct MailParsingTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/payloads")

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: samples.appendingPathComponent(name)))
    }

    @Test func gbkReplyDecodesSubjectSenderBodyAndThreading() throws {
        let mail = MIMEParser.parse(try Self.sample("email_inbound_gbk_reply.eml"))
        #expect(mail.subject == "回复：订单 #1001 物流查询")
        #expect(mail.from == MailAddress(name: "张三", address: "zhang.san@example.cn"))
        #expect(mail.messageID == "20231114221320.7f3a@mail.example.cn")
        #expect(mail.inReplyTo == ["conv-42.msg-7@hub.example.com"])
        #expect(mail.references == ["20231113090000.1111@mail.example.cn", "conv-42.msg-7@hub.example.com"])
        #expect(mail.date == Date(timeIntervalSince1970: 1_699_971_200))
        #expect(mail.text.hasPrefix("您好，包裹还没有收到，请帮忙查一下。"))
        #expect(mail.text.contains("> 您好，您的订单 #1001 已发货"), "the full original stays available")
        #expect(mail.displayText == "您好，包裹还没有收到，请帮忙查一下。")
        #expect(mail.html?.contains("<blockquote") == true)
        #expect(mail.problems.isEmpty)
        #expect(!mail.isAutomated)
    }

    @Test func encodedWordsSplitInsideACharacterAndAdjacentWhitespace() {
        #expect(EncodedWords.decode("=?GBK?B?u9i4tKM=?= =?GBK?B?uraptaUgIzEwMDEgzu/B97Lp0a8=?=") == "回复：订单 #1001 物流查询")
        #expect(EncodedWords.decode("=?UTF-8?Q?caf=C3=A9?= au lait") == "café au lait")
        #expect(EncodedWords.decode("=?iso-8859-1?q?p=F6stal?=  =?iso-8859-1?q?_code?=") == "pöstal code")
        #expect(EncodedWords.decode("=?big5?B?p0Egpm4=?=") == "你 好")
        #expect(EncodedWords.decode("plain =?bogus") == "plain =?bogus")
    }

    @Test func aMalformedBoundaryKeepsTheRawTextWithANotice() {
        let raw = Array(
            """
            From: a@example.com
            Subject: broken
            Content-Type: multipart/mixed; boundary="XYZ"

            --ABC
            Content-Type: text/plain

            hello
            --ABC--
            """.utf8)
        let mail = MIMEParser.parse(raw)
        #expect(mail.problems.first?.contains("never occurs") == true)
        #expect(mail.text.contains("hello"))
        let noBoundary = MIMEParser.parse(Array("Content-Type: multipart/mixed\n\nbody text".utf8))
        #expect(noBoundary.problems.count == 1)
        #expect(noBoundary.text == "body text")
    }

    @Test func htmlOnlyMailBecomesReadableTextWithoutTheQuote() {
        let raw = Array(
            """
            From: "Lee, Ann" <ann@example.com>
            Content-Type: text/html; charset=utf-8

            <html><head><style>p{}</style></head><body><p>Hi&nbsp;there &amp; thanks</p><div>Line two<br>three</div>
            <div class="gmail_quote"><div>On Mon wrote:</div><blockquote>old</blockquote></div></body></html>
            """.utf8)
        let mail = MIMEParser.parse(raw)
        #expect(mail.from == MailAddress(name: "Lee, Ann", address: "ann@example.com"))
        #expect(mail.text == "Hi there & thanks\n\nLine two\nthree")
    }

    @Test func repliesLoseTheirQuotedHistoryInEnglishAndChinese() {
        #expect(QuoteTrimmer.trim("Thanks!\n\nOn Tue, 14 Nov 2023 at 10:00, Support <s@x.com> wrote:\n> old") == "Thanks!")
        #expect(QuoteTrimmer.trim("Thanks!\nOn Tue, 14 Nov 2023 at 10:00, Support\n<s@x.com> wrote:\n> old") == "Thanks!")
        #expect(QuoteTrimmer.trim("好的\n\n在 2023年11月14日 10:00，客服 <s@x.com> 写道：\n> 旧") == "好的")
        #expect(QuoteTrimmer.trim("收到\n------------------ 原始邮件 ------------------\n发件人: x") == "收到")
        // An Outlook reply without In-Reply-To: a header block, not a reply line.
        #expect(
            QuoteTrimmer.trim("See below.\n\nFrom: Support <s@x.com>\nSent: Tuesday\nTo: me\nSubject: Order\n\nold text") == "See below.")
        #expect(QuoteTrimmer.trim("还没到\n\n发件人：客服\n发送时间：2023年11月14日\n主题：订单") == "还没到")
        #expect(QuoteTrimmer.trim("From: here to there, the parcel moved.") == "From: here to there, the parcel moved.")
    }

    @Test func attachmentsAreListedWithNameTypeAndSize() {
        let payload = [UInt8](repeating: 0x42, count: 10 * 1024 * 1024)
        let raw =
            """
            From: a@example.com
            Subject: big
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            see attached
            --b1
            Content-Type: application/pdf; name="=?UTF-8?B?5Y+R56Wo?=.pdf"
            Content-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf
            Content-Transfer-Encoding: base64

            \(Base64Lenient.encodeLines(payload))
            --b1--
            """
        let mail = MIMEParser.parse(Array(raw.utf8))
        #expect(mail.text == "see attached")
        #expect(mail.attachments.count == 1)
        #expect(mail.attachments.first?.filename == "发票.pdf")
        #expect(mail.attachments.first?.mimeType == "application/pdf")
        #expect(mail.attachments.first?.data.count == 10 * 1024 * 1024)
    }

    @Test func autoRepliesBouncesAndDMARC() {
        #expect(MIMEParser.parse(Array("From: a@b.c\nAuto-Submitted: auto-replied\n\nout of office".utf8)).isAutomated)
        #expect(MIMEParser.parse(Array("From: a@b.c\nPrecedence: bulk\n\nnews".utf8)).isAutomated)
        #expect(MIMEParser.parse(Array("From: MAILER-DAEMON@mx.example\n\nundeliverable".utf8)).isBounce)
        #expect(!MIMEParser.parse(Array("From: a@b.c\nAuto-Submitted: no\n\nhi".utf8)).isAutomated)
        let signed = MIMEParser.parse(
            Array("Authentication-Results: mx.hub; spf=pass; dkim=pass; dmarc=pass (p=reject)\nFrom: a@b.c\n\nhi".utf8))
        #expect(signed.passedDMARC)
    }

    @Test func composedRepliesParseBackAndNeverLeakBcc() {
        let draft = MailComposer.Draft(
            from: MailAddress(name: "客服中心", address: "support@hub.example.com"), replyTo: MailAddress(address: "reply+c42@hub.example.com"),
            to: [MailAddress(name: "张三", address: "zhang.san@example.cn")], bcc: [MailAddress(address: "audit@hub.example.com")],
            subject: MailReplyContext.replySubject("回复：订单 #1001 物流查询"), text: "您好，已为您查询。\n.第二行以点开头", html: "<p>您好</p>",
            messageID: "conv-42.msg-9@hub.example.com", inReplyTo: "20231114221320.7f3a@mail.example.cn",
            references: ["20231113090000.1111@mail.example.cn", "20231114221320.7f3a@mail.example.cn"],
            date: Date(timeIntervalSince1970: 1_699_972_200))
        let composed = MailComposer.compose(draft)
        let text = String(decoding: composed.message, as: UTF8.self)
        #expect(!text.lowercased().contains("bcc"))
        #expect(!text.contains("audit@hub.example.com"))
        #expect(composed.recipients == ["zhang.san@example.cn", "audit@hub.example.com"])
        #expect(text.contains("\r\nDate: Tue, 14 Nov 2023 14:30:00 +0000\r\n"))
        #expect(text.allSatisfy { $0.isASCII }, "headers and bodies are 7-bit safe")
        let parsed = MIMEParser.parse(composed.message)
        #expect(parsed.subject == "Re: 订单 #1001 物流查询")
        #expect(parsed.from == MailAddress(name: "客服中心", address: "support@hub.example.com"))
        #expect(parsed.to == [MailAddress(name: "张三", address: "zhang.san@example.cn")])
        #expect(parsed.messageID == "conv-42.msg-9@hub.example.com")
        #expect(parsed.inReplyTo == ["20231114221320.7f3a@mail.example.cn"])
        #expect(parsed.references.count == 2)
        #expect(parsed.text == "您好，已为您查询。\r\n.第二行以点开头")
        #expect(parsed.html == "<p>您好</p>")
        #expect(MailReplyContext.replySubject("RE: Re: 回复：hello") == "Re: hello")
    }
}

@Suite struct ForwardedMailTests {
    @Test func aForwardedMessageIsKeptAsAnAttachmentAndTheCoverNoteRead() {
        let raw =
            "From: boss@example.com\r\nSubject: Fwd: complaint\r\nContent-Type: multipart/mixed; boundary=\"f\"\r\n\r\n"
            + "--f\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease handle this.\r\n"
            + "--f\r\nContent-Type: message/rfc822\r\n\r\nFrom: customer@example.com\r\nSubject: complaint\r\n\r\nMy parcel is late.\r\n--f--\r\n"
        let mail = MIMEParser.parse(Array(raw.utf8))
        #expect(mail.text == "Please handle this.")
        #expect(mail.attachments.map(\.mimeType) == ["message/rfc822"])
        #expect(mail.attachments.first?.filename == "forwarded-1.eml")
        #expect(MIMEParser.parse(mail.attachments[0].data).subject == "complaint")
    }
}
