import Foundation
package import HubCore
import HubCurl

/// One WeChat official account: verifies and decrypts pushes, answers WeChat's
/// URL check, acknowledges within the 5-second rule, and replies through the
/// customer-service message API.
package struct WeChatAdapter: ChannelAdapter {
    package let channelID: ChannelID
    let appID: String
    let token: String
    let crypto: WeChatCrypto?
    let welcomeReply: String?
    let timestampTolerance: TimeInterval
    let api: WeChatAPI
    let tokens: AccessTokenCache

    init(
        channelID: ChannelID, appID: String, appSecret: String, token: String, crypto: WeChatCrypto?, welcomeReply: String?,
        timestampTolerance: TimeInterval, apiBase: String, curl: CurlClient, clock: WallClock
    ) {
        self.channelID = channelID
        self.appID = appID
        self.token = token
        self.crypto = crypto
        self.welcomeReply = welcomeReply
        self.timestampTolerance = timestampTolerance
        let api = WeChatAPI(base: apiBase, appID: appID, appSecret: appSecret, curl: curl, clock: clock)
        self.api = api
        self.tokens = AccessTokenCache(clock: clock) { () async throws(WeChatAPIError) -> AccessTokenCache.Token in
            try await api.fetchToken()
        }
    }

    package var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            partKinds: [.text], maxTextLength: 600,
            replyWindow: ReplyWindow(
                afterMessage: ReplyAllowance(duration: .seconds(48 * 3600), quota: 5),
                afterActivity: ReplyAllowance(duration: .seconds(60), quota: 3)),
            honoursOptOut: true)
    }

    // MARK: Inbound

    /// `GET ?signature&timestamp&nonce&echostr`: echo `echostr` byte for byte when the
    /// signature over the token matches.
    package func answerVerification(_ request: InboundRequest) throws(HubError) -> WebhookReply {
        try checkSignature(request)
        guard let echo = request.query["echostr"] else { throw HubError.badRequest("missing_echostr", "the URL check carries no echostr") }
        return .text(echo)
    }

    package func verify(_ request: InboundRequest) throws(HubError) {
        _ = try open(request)
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        try open(request).push.dedupeKey
    }

    /// Checks, decrypts and parses the push once for the signature, the dedupe key and the events.
    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        let push = try open(request).push
        return AcceptedDelivery(dedupeKey: push.dedupeKey, events: push.events(appID: appID, receivedAt: request.receivedAt))
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let outer = try Self.parse(raw.body)
        if let encrypted = outer["Encrypt"], let crypto {
            return try WeChatPush(fields: Self.parse(Array(Self.decrypt(encrypted, crypto).utf8))).events(
                appID: appID, receivedAt: raw.receivedAt)
        }
        return try WeChatPush(fields: outer).events(appID: appID, receivedAt: raw.receivedAt)
    }

    /// `success` stops WeChat's retries; a follow gets the welcome text as a passive
    /// reply instead, encrypted when the push was.
    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        let success = WebhookReply.text("success")
        guard let welcomeReply, let (push, encrypted) = try? open(request), push.messageType == "event", push.event == "subscribe"
        else { return success }
        let now = Int(request.receivedAt.timeIntervalSince1970)
        let reply = WeChatXML.document(
            [
                ("ToUserName", push.openID), ("FromUserName", push.toUser), ("CreateTime", "\(now)"), ("MsgType", "text"),
                ("Content", welcomeReply),
            ], numeric: ["CreateTime"])
        guard encrypted, let crypto else { return WebhookReply(contentType: "application/xml", body: Array(reply.utf8)) }
        guard let sealed = try? crypto.encrypt(reply, prefix: WeChatCrypto.randomPrefix()) else { return success }
        let nonce = String(UInt32.random(in: 100_000_000...999_999_999))
        let envelope = WeChatXML.document(
            [
                ("Encrypt", sealed), ("MsgSignature", WeChatSignature.sign([token, "\(now)", nonce, sealed])),
                ("TimeStamp", "\(now)"), ("Nonce", nonce),
            ], numeric: ["TimeStamp"])
        return WebhookReply(contentType: "application/xml", body: Array(envelope.utf8))
    }

    /// Checks signatures, decrypts when the push is encrypted, and parses it.
    func open(_ request: InboundRequest) throws(HubError) -> (push: WeChatPush, encrypted: Bool) {
        try checkSignature(request)
        let encrypted = request.query["encrypt_type"]?.lowercased() == "aes"
        if !encrypted && crypto != nil {
            // The plaintext signature does not cover the body; with a key configured
            // only encrypted pushes are proof that WeChat sent them.
            throw HubError.unauthorized("encryption_required", "this channel has an encoding_aes_key: pushes must be encrypted")
        }
        let outer = try Self.parse(request.body)
        guard encrypted else { return (try WeChatPush(fields: outer), false) }
        guard let crypto else {
            throw HubError.badRequest("encryption_not_configured", "the push is encrypted but the channel has no encoding_aes_key")
        }
        guard let sealed = outer["Encrypt"] else { throw HubError.badRequest("malformed_xml", "an encrypted push without <Encrypt>") }
        guard let messageSignature = request.query["msg_signature"],
            WeChatSignature.matches(
                WeChatSignature.sign([token, request.query["timestamp"] ?? "", request.query["nonce"] ?? "", sealed]), messageSignature)
        else { throw HubError.unauthorized("bad_signature", "msg_signature does not match the encrypted message") }
        return (try WeChatPush(fields: Self.parse(Array(Self.decrypt(sealed, crypto).utf8))), true)
    }

    func checkSignature(_ request: InboundRequest) throws(HubError) {
        guard let signature = request.query["signature"], let timestamp = request.query["timestamp"], let nonce = request.query["nonce"]
        else { throw HubError.unauthorized("missing_signature", "signature, timestamp and nonce are required") }
        guard WeChatSignature.matches(WeChatSignature.sign([token, timestamp, nonce]), signature) else {
            throw HubError.unauthorized("bad_signature", "the signature does not match the channel token")
        }
        guard let seconds = Double(timestamp), abs(request.receivedAt.timeIntervalSince1970 - seconds) <= timestampTolerance else {
            throw HubError.unauthorized("stale_timestamp", "the timestamp is outside the accepted window")
        }
    }

    static func parse(_ body: [UInt8]) throws(HubError) -> [String: String] {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw HubError.badRequest("malformed_xml", "the body is not UTF-8")
        }
        do {
            return try WeChatXML.fields(text)
        } catch {
            throw HubError.badRequest("malformed_xml", error.description)
        }
    }

    static func decrypt(_ sealed: String, _ crypto: WeChatCrypto) throws(HubError) -> String {
        do {
            return try crypto.decrypt(sealed)
        } catch .wrongAppID {
            throw HubError.unauthorized("wrong_appid", "the encrypted message is for another official account")
        } catch {
            throw HubError.badRequest("corrupt_ciphertext", error.description)
        }
    }

    // MARK: Outbound

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        let text = message.parts.plainText
        let payload: [String: Any] = ["touser": message.threadKey, "msgtype": "text", "text": ["content": text]]
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.withoutEscapingSlashes]) else {
            throw SendFailure(code: "unencodable", message: "the message cannot be encoded as JSON", retryable: false)
        }
        do {
            var accessToken = try await tokens.token()
            do {
                try await api.sendCustomMessage(Array(body), token: accessToken)
            } catch .api(let code, _) where [40001, 40014, 42001].contains(code) {
                // Expired or replaced token: one central refresh, then one retry.
                accessToken = try await tokens.replace(rejected: accessToken)
                try await api.sendCustomMessage(Array(body), token: accessToken)
            }
            return SendReceipt(providerMessageID: nil, status: .sent)
        } catch {
            throw Self.failure(error)
        }
    }

    static func failure(_ error: WeChatAPIError) -> SendFailure {
        switch error {
        case .transport(let detail):
            return SendFailure(code: "transport", message: detail, retryable: true)
        case .api(let code, let message):
            switch code {
            case 45015:
                return SendFailure(
                    code: "45015",
                    message: "WeChat refused: more than 48 hours since the customer's last message, or they unfollowed (\(message))",
                    retryable: false)
            case 45047:
                return SendFailure(
                    code: "45047", message: "WeChat refused: reply quota for this window used up (\(message))", retryable: false)
            case -1, 45009, 45011, 40001, 40014, 42001:
                return SendFailure(code: "\(code)", message: "WeChat busy or rate-limited: \(message)", retryable: true)
            default:
                return SendFailure(code: "\(code)", message: "WeChat refused: \(message)", retryable: false)
            }
        }
    }
}
