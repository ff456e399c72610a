import Foundation
import HubCore
import HubCurl
import HubMail
import Testing

/// libcurl's IMAP and SMTP against a real dovecot and aiosmtpd on 127.0.0.1.
@Suite(.serialized) struct MailTransferTests {
    @Test func smtpSendsAComposedReplyThatIMAPFetchesBack() async throws {
        let servers = try MailServers()
        let curl = CurlClient(workers: 1)
        let draft = MailComposer.Draft(
            from: MailAddress(name: "客服中心", address: "support@hub.example.com"),
            to: [MailAddress(name: "张三", address: "support@hub.example.com")], bcc: [MailAddress(address: "audit@hub.example.com")],
            subject: "Re: 订单 #1001", text: "您好，\n.以点开头的行\n已发货。", messageID: "conv-1.msg-2@hub.example.com", date: Date())
        let composed = MailComposer.compose(draft)
        try await curl.smtp(
            SMTPRequest(
                url: servers.smtpURL, mailFrom: "bounce@hub.example.com", recipients: composed.recipients, message: composed.message))

        let mailbox = "\(servers.imapBase)/INBOX"
        let status = String(
            decoding: try await curl.imap(
                IMAPRequest(url: servers.imapBase + "/", username: servers.user, password: servers.password, command: "EXAMINE INBOX")),
            as: UTF8.self)
        let validity = try #require(status.firstMatch(of: /UIDVALIDITY (\d+)/)?.1)
        let search = String(
            decoding: try await curl.imap(
                IMAPRequest(url: mailbox, username: servers.user, password: servers.password, command: "UID SEARCH UID 1:*")), as: UTF8.self
        )
        let uids = search.split(whereSeparator: \.isWhitespace).dropFirst(2).compactMap { Int($0) }
        #expect(uids == [1])
        let raw = try await curl.imap(
            IMAPRequest(url: "\(mailbox);UIDVALIDITY=\(validity)/;UID=1", username: servers.user, password: servers.password))
        let mail = MIMEParser.parse(raw)
        #expect(mail.subject == "Re: 订单 #1001")
        #expect(mail.messageID == "conv-1.msg-2@hub.example.com")
        #expect(mail.text == "您好，\r\n.以点开头的行\r\n已发货。", "dot-stuffing undone by the server")
        // aiosmtpd records the envelope in X-RcptTo: the Bcc address was a recipient, and
        // appears in no header the hub wrote.
        #expect(mail.headers["X-RcptTo"]?.contains("audit@hub.example.com") == true)
        #expect(mail.headers["Bcc"] == nil)
        #expect(mail.headers.fields.filter { $0.name != "X-RcptTo" }.allSatisfy { !$0.value.contains("audit@") })
    }

    @Test func uidValidityGuardAndRefusedLoginAreNamedErrors() async throws {
        let servers = try MailServers()
        try servers.deliver(Array("From: a@example.com\r\nSubject: hi\r\nMessage-ID: <x@example.com>\r\n\r\nhello\r\n".utf8))
        let curl = CurlClient(workers: 1)
        do {
            _ = try await curl.imap(
                IMAPRequest(url: "\(servers.imapBase)/INBOX;UIDVALIDITY=1/;UID=1", username: servers.user, password: servers.password))
            Issue.record("a fetch with a stale UIDVALIDITY succeeded")
        } catch {
            #expect(error.name == "CURLE_REMOTE_FILE_NOT_FOUND")
        }
        do {
            _ = try await curl.imap(IMAPRequest(url: "\(servers.imapBase)/INBOX/;UID=1", username: servers.user, password: "wrong"))
            Issue.record("a wrong password logged in")
        } catch {
            #expect(error.name == "CURLE_LOGIN_DENIED")
        }
        let body = try await curl.imap(
            IMAPRequest(url: "\(servers.imapBase)/INBOX/;UID=1", username: servers.user, password: servers.password))
        #expect(MIMEParser.parse(body).subject == "hi")
        do {
            try await curl.smtp(
                SMTPRequest(
                    url: "smtp://127.0.0.1:9/", mailFrom: "a@b.c", recipients: ["x@y.z"], message: Array("x".utf8),
                    connectTimeout: .seconds(2)))
            Issue.record("SMTP to a closed port succeeded")
        } catch {
            #expect(error.name == "CURLE_COULDNT_CONNECT")
        }
    }
}
