import Foundation
package import HubCore
import HubCurl

/// One SMS number on a Twilio-compatible provider: signed form webhooks in (messages
/// and status callbacks on the same URL), the Messages API out.
package struct SMSAdapter: ChannelAdapter {
    package let channelID: ChannelID
    let accountSID: String
    let authToken: String
    let from: String?
    let messagingServiceSID: String?
    let apiBase: String
    /// Where the provider posts status callbacks: this channel's webhook URL.
    let statusCallbackURL: String?
    let helpReply: String?
    let curl: CurlClient

    package var capabilities: ChannelCapabilities {
        ChannelCapabilities(partKinds: [.text, .image], maxTextLength: 1600, honoursOptOut: true)
    }

    // MARK: Inbound

    /// One parse of the form serves the signature, the dedupe key and the events.
    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        let form = try FormBody(parsing: request.body)
        try verify(request, form: form)
        return AcceptedDelivery(
            dedupeKey: Self.dedupeKey(form), events: try events(form, receivedAt: request.receivedAt), reply: twiml(for: form))
    }

    package func verify(_ request: InboundRequest) throws(HubError) {
        try verify(request, form: try FormBody(parsing: request.body))
    }

    func verify(_ request: InboundRequest, form: FormBody) throws(HubError) {
        guard let signature = request.headers["x-twilio-signature"] else {
            throw HubError.unauthorized("missing_signature", "X-Twilio-Signature is required")
        }
        guard TwilioSignature.isValid(signature: signature, url: request.publicURL, form: form, authToken: authToken) else {
            throw HubError.unauthorized(
                "bad_signature", "X-Twilio-Signature does not match; check server.public_url is the URL the provider calls")
        }
        guard form["MessageSid"] ?? form["SmsSid"] != nil else {
            throw HubError.badRequest("malformed_form", "the form has no MessageSid")
        }
        if form["MessageStatus"] == nil && form["From"] == nil {
            throw HubError.badRequest("malformed_form", "an inbound message without From")
        }
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        Self.dedupeKey(try FormBody(parsing: request.body))
    }

    static func dedupeKey(_ form: FormBody) -> String {
        let sid = form["MessageSid"] ?? form["SmsSid"] ?? ""
        if let status = Self.reportedStatus(form) { return "status:\(sid):\(status)" }
        return "msg:\(sid)"
    }

    /// A status callback carries `MessageStatus` other than `received`.
    static func reportedStatus(_ form: FormBody) -> String? {
        guard let status = form["MessageStatus"], status.lowercased() != "received" else { return nil }
        return status.lowercased()
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        try events(try FormBody(parsing: raw.body), receivedAt: raw.receivedAt)
    }

    func events(_ form: FormBody, receivedAt: Date) throws(HubError) -> [InboundEvent] {
        let sid = form["MessageSid"] ?? form["SmsSid"] ?? ""
        if let status = Self.reportedStatus(form) {
            guard let mapped = TwilioStatus.report(status) else { return [] }
            return [
                .deliveryReport(
                    DeliveryReport(
                        providerMessageID: sid, status: mapped.status, providerStatus: status, rank: mapped.rank,
                        errorCode: form["ErrorCode"].flatMap { $0.isEmpty ? nil : $0 }, reportedAt: receivedAt))
            ]
        }
        guard let sender = form["From"], !sender.isEmpty else { throw HubError.badRequest("malformed_form", "no From") }
        var parts: [MessagePart] = []
        let body = form["Body"] ?? ""
        if !body.isEmpty { parts.append(.text(body)) }
        // From the wire: a negative or huge count must not become a range.
        let mediaCount = min(max(Int(form["NumMedia"] ?? "0") ?? 0, 0), 10)
        for index in 0..<mediaCount {
            guard let url = form["MediaUrl\(index)"] else { continue }
            let type = form["MediaContentType\(index)"]
            if type?.hasPrefix("image/") == true {
                parts.append(.image(url: url, caption: nil))
            } else {
                parts.append(.file(url: url, name: "attachment-\(index + 1)", mimeType: type, size: nil))
            }
        }
        if parts.isEmpty { parts.append(.text("")) }
        var events: [InboundEvent] = [
            .message(
                InboundMessage(
                    providerMessageID: sid, threadKey: sender, identities: [IdentityHint(kind: .phone, value: sender, verified: true)],
                    senderName: nil, parts: parts, sentAt: receivedAt))
        ]
        switch SMSKeyword(body: body) {
        case .stop:
            events.append(
                .contactPreference(
                    ContactPreferenceChange(threadKey: sender, optedOut: true, reason: body.uppercased(), at: receivedAt)))
        case .start:
            events.append(
                .contactPreference(
                    ContactPreferenceChange(threadKey: sender, optedOut: false, reason: body.uppercased(), at: receivedAt)))
        case .help, nil:
            break
        }
        return events
    }

    /// Empty TwiML: no automatic answer, except the channel's help text for `HELP`.
    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        twiml(for: try? FormBody(parsing: request.body))
    }

    func twiml(for form: FormBody?) -> WebhookReply {
        var twiml = #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#
        if let helpReply, let form, Self.reportedStatus(form) == nil, SMSKeyword(body: form["Body"] ?? "") == .help {
            twiml = #"<?xml version="1.0" encoding="UTF-8"?><Response><Message>\#(Self.escape(helpReply))</Message></Response>"#
        }
        return WebhookReply(contentType: "text/xml", body: Array(twiml.utf8))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }

    // MARK: Outbound

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        var pairs: [(name: String, value: String)] = [("To", message.threadKey)]
        if let messagingServiceSID {
            pairs.append(("MessagingServiceSid", messagingServiceSID))
        } else if let from {
            pairs.append(("From", from))
        }
        let text = message.parts.compactMap { part -> String? in
            if case .image = part { return nil }
            return part.plainText
        }.joined(separator: "\n\n")
        if !text.isEmpty { pairs.append(("Body", text)) }
        for case .image(let url, _) in message.parts { pairs.append(("MediaUrl", url)) }
        if let statusCallbackURL { pairs.append(("StatusCallback", statusCallbackURL)) }
        let request = CurlRequest(
            method: "POST", url: "\(apiBase)/2010-04-01/Accounts/\(accountSID)/Messages.json",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: PercentEncoding.form(pairs), timeout: .seconds(15), basicAuth: (accountSID, authToken))
        let response: CurlResponse
        do {
            response = try await curl.perform(request)
        } catch {
            throw SendFailure(code: error.name, message: error.message, retryable: true)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        if response.isSuccess, let sid = object["sid"] as? String {
            return SendReceipt(providerMessageID: sid, status: .sent)
        }
        throw Self.failure(status: response.status, object: object, retryAfter: response.header("Retry-After"))
    }

    /// Maps the Messages API's error body: opted-out and invalid recipients are final,
    /// throttling and server errors are retried (after `Retry-After` when given).
    static func failure(status: Int, object: [String: Any], retryAfter: String?) -> SendFailure {
        let code = (object["code"] as? NSNumber)?.intValue
        let message = object["message"] as? String ?? "HTTP \(status)"
        let wait = retryAfter.flatMap(Int.init).map { Duration.seconds($0) }
        switch (code, status) {
        case (21610?, _):
            return SendFailure(code: "21610", message: "the recipient replied STOP and cannot be sent to: \(message)", retryable: false)
        case (21211?, _), (21614?, _), (21612?, _), (21606?, _), (21608?, _), (21635?, _), (20003?, _):
            return SendFailure(code: "\(code!)", message: message, retryable: false)
        case (20429?, _), (_, 429):
            return SendFailure(code: code.map(String.init) ?? "429", message: message, retryable: true, retryAfter: wait)
        case (_, 500...):
            return SendFailure(code: code.map(String.init) ?? "\(status)", message: message, retryable: true, retryAfter: wait)
        default:
            return SendFailure(code: code.map(String.init) ?? "\(status)", message: message, retryable: false)
        }
    }
}
