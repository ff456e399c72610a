import Foundation
package import HubCore
import HubCurl
import HubMail

/// One mailbox: polled over IMAP by UID (UIDVALIDITY respected, the hub's own state,
/// never `\Seen`), answered over SMTP with threaded, well-formed replies.
package struct EmailAdapter: SyncingAdapter {
    package let channelID: ChannelID
    let imapURL: String
    let mailbox: String
    let smtpURL: String
    let username: String
    let password: String
    let from: MailAddress
    /// `support+c{conversation}@…`: replies come back with the conversation in the address.
    let replyToTemplate: String?
    let messageIDDomain: String
    let tls: MailTLS
    let caFile: String?
    let batch: Int
    package let pollInterval: Duration?
    let curl: CurlClient

    static let topic = "mail"

    package var capabilities: ChannelCapabilities {
        ChannelCapabilities(partKinds: [.text], threaded: true)
    }

    // MARK: Fetching

    package func fetchPage(_ cursor: SyncCursor) async throws(SyncFailure) -> SyncPage {
        let (knownValidity, lastUID) = Self.position(cursor.position)
        let status = try await imap(url: "\(imapURL)/", command: "EXAMINE \(mailbox)")
        guard let validity = status.firstMatch(of: /UIDVALIDITY (\d+)/).map({ String($0.1) }) else {
            throw SyncFailure(message: "the server did not report UIDVALIDITY for \(mailbox)", transient: true)
        }
        // A new UIDVALIDITY invalidates every stored UID: read the mailbox again; the
        // Message-ID dedupe keys keep what was already stored from doubling.
        let since = validity == knownValidity ? lastUID : 0
        guard let next = status.firstMatch(of: /UIDNEXT (\d+)/).flatMap({ UInt32($0.1) }), next > since + 1 else {
            return SyncPage(items: [], nextPageURL: nil, newest: nil, position: "\(validity):\(since)")
        }
        // A window of UIDs per page: libcurl cuts a long untagged `* SEARCH` line (about
        // 16 KB), so one search for everything would silently miss the rest.
        let windowEnd = min(since + UInt32(batch), next - 1)
        let search = try await imap(url: "\(imapURL)/\(mailbox)", command: "UID SEARCH UID \(since + 1):\(windowEnd)")
        let uids = search.split(whereSeparator: \.isWhitespace).compactMap { UInt32($0) }.filter { $0 > since && $0 <= windowEnd }.sorted()
        var items: [SyncItem] = []
        for uid in uids {
            let raw: [UInt8]
            do {
                // The `;UID=` URL form: libcurl 7.88 drops the literal of a custom BODY.PEEK fetch.
                raw = try await curl.imap(
                    IMAPRequest(
                        url: "\(imapURL)/\(mailbox);UIDVALIDITY=\(validity)/;UID=\(uid)", username: username, password: password, tls: tls,
                        caFile: caFile))
            } catch {
                throw SyncFailure(message: "fetching UID \(uid): \(error.description)", transient: error.isTransient)
            }
            let headerEnd = Self.headerLength(raw)
            let messageID = MIMEParser.messageIDs(
                MailHeaders(parsing: String(decoding: raw.prefix(headerEnd), as: UTF8.self))["Message-ID"]
            ).first
            items.append(SyncItem(dedupeKey: messageID.map { "mid:\($0)" } ?? "uid:\(validity):\(uid)", topic: Self.topic, body: raw))
        }
        // UIDs below UIDNEXT all existed at EXAMINE, so the window is done even where it had gaps.
        return SyncPage(
            items: items, nextPageURL: windowEnd < next - 1 ? "more" : nil, newest: nil, position: "\(validity):\(windowEnd)")
    }

    private func imap(url: String, command: String) async throws(SyncFailure) -> String {
        do {
            return String(
                decoding: try await curl.imap(
                    IMAPRequest(url: url, username: username, password: password, command: command, tls: tls, caFile: caFile)),
                as: UTF8.self)
        } catch {
            throw SyncFailure(message: "IMAP \(command.split(separator: " ").first ?? ""): \(error.description)", transient: true)
        }
    }

    static func position(_ text: String?) -> (validity: String?, lastUID: UInt32) {
        guard let text, let colon = text.firstIndex(of: ":") else { return (nil, 0) }
        return (String(text[..<colon]), UInt32(text[text.index(after: colon)...]) ?? 0)
    }

    static func headerLength(_ raw: [UInt8]) -> Int {
        for index in 0..<max(0, raw.count - 1) where raw[index] == 0x0A && (raw[index + 1] == 0x0A || raw[index + 1] == 0x0D) {
            return index
        }
        return raw.count
    }

    // MARK: Decoding

    package func verify(_ request: InboundRequest) throws(HubError) {
        throw HubError.notFound("no_webhook", "an email channel is polled over IMAP; it takes no webhooks")
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? { nil }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let mail = MIMEParser.parse(raw.body)
        guard let sender = mail.from else {
            // Kept in the inbox, visible in its failure: a mail without a sender has no customer.
            throw HubError.badRequest("missing_sender", "the mail has no From address")
        }
        let address = sender.address.lowercased()
        var parts: [MessagePart] = []
        if !mail.problems.isEmpty {
            parts.append(.text("[This mail could not be read completely: \(mail.problems.joined(separator: "; ")). The original is kept.]"))
        }
        parts.append(.text(mail.displayText))
        for (index, attachment) in mail.attachments.enumerated() {
            parts.append(
                .file(
                    url: "mail-attachment:\(index)", name: attachment.filename, mimeType: attachment.mimeType, size: attachment.data.count))
        }
        let messageID = mail.messageID ?? "generated-\(raw.body.count)-\(raw.receivedAt.timeIntervalSince1970)@\(messageIDDomain)"
        let threading = MailThreading(
            messageID: messageID, references: mail.inReplyTo + mail.references.reversed(), subject: mail.subject, from: address,
            to: (mail.to + mail.cc).map { $0.address.lowercased() }, automated: mail.isAutomated)
        return [
            .message(
                InboundMessage(
                    providerMessageID: messageID, threadKey: "mail:\(messageID)",
                    identities: [
                        // The address on this channel is always one customer; as an email it
                        // merges only when the receiving server says DMARC passed.
                        IdentityHint(kind: .externalID, value: "mail:\(channelID):\(address)", verified: true),
                        IdentityHint(kind: .email, value: address, verified: mail.passedDMARC),
                    ], senderName: sender.name, parts: parts, sentAt: mail.date ?? raw.receivedAt, mailThreading: threading))
        ]
    }

    // MARK: Sending

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        guard let context = message.mailContext else {
            throw SendFailure(code: "no_recipient", message: "the conversation has no mail from the customer to answer", retryable: false)
        }
        let text = message.parts.plainText
        let messageID = "conv-\(message.conversationID).msg-\(message.messageID)@\(messageIDDomain)"
        let replyTo = replyToTemplate.map {
            MailAddress(name: from.name, address: $0.replacingOccurrences(of: "{conversation}", with: "c\(message.conversationID)"))
        }
        let composed = MailComposer.compose(
            MailComposer.Draft(
                from: from, replyTo: replyTo, to: [MailAddress(address: context.to)], cc: context.cc.map { MailAddress(address: $0) },
                subject: context.subject, text: text,
                html: "<div>" + Self.escapeHTML(text).replacingOccurrences(of: "\n", with: "<br>") + "</div>", messageID: messageID,
                inReplyTo: context.inReplyTo, references: context.references, date: Date()))
        do {
            try await curl.smtp(
                SMTPRequest(
                    url: smtpURL, username: username.isEmpty ? nil : username, password: password.isEmpty ? nil : password,
                    mailFrom: from.address, recipients: composed.recipients, message: composed.message, tls: tls, caFile: caFile))
        } catch {
            throw SendFailure(code: error.name, message: error.message, retryable: error.name != "CURLE_LOGIN_DENIED")
        }
        return SendReceipt(providerMessageID: messageID, status: .sent)
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
