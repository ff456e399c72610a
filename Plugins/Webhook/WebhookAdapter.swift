import Foundation
package import HubCore
import HubCurl

/// A channel described entirely by a plug-in file: its requests are authenticated,
/// mapped and answered as the file says, and replies go out through its HTTP template.
package struct WebhookAdapter: ChannelAdapter {
    package let channelID: ChannelID
    let plugin: WebhookPlugin
    let authenticator: InboundAuthenticator
    /// `settings.NAME` → value, for templates.
    let settingValues: [String: String]
    let curl: CurlClient

    package var capabilities: ChannelCapabilities {
        ChannelCapabilities(partKinds: [.text])
    }

    package func verify(_ request: InboundRequest) throws(HubError) {
        _ = try accept(request)
    }

    /// Authenticates, then decodes once: a payload the mapping cannot read is refused now,
    /// not stored to fail later.
    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        try authenticator.verify(request)
        let events = try decode(RawInbound(channelID: channelID, body: request.body, contentType: nil, receivedAt: request.receivedAt))
        return AcceptedDelivery(dedupeKey: try dedupeKey(for: request), events: events)
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        let source = plugin.dedupeKey ?? "header:webhook-id"
        if source.hasPrefix("header:") {
            guard let value = request.headers[String(source.dropFirst(7)).lowercased()], !value.isEmpty else {
                throw HubError.badRequest("missing_dedupe_key", "the \(source.dropFirst(7)) header is missing")
            }
            return value
        }
        guard let value = try Self.parse(request.body).at(source)?.text, !value.isEmpty else {
            throw HubError.badRequest("missing_dedupe_key", "the body has no value at \(source)")
        }
        return value
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        let document = try Self.parse(raw.body)
        if let commerce = try CommerceDecoding(plugin: plugin, channelID: channelID).events(document) { return commerce }
        guard let mapping = plugin.mapping else { return [] }
        if let acceptIf = plugin.acceptIf, document.at(acceptIf) == nil || document.at(acceptIf) == .null { return [] }
        guard let conversation = document.at(mapping.conversation)?.text, !conversation.isEmpty else {
            throw HubError.badRequest("missing_field", "the body has no conversation id at \(mapping.conversation)")
        }
        var parts: [MessagePart] = []
        if let text = document.at(mapping.text)?.text, !text.isEmpty { parts.append(.text(text)) }
        if let pointer = mapping.mediaURL, let url = document.at(pointer)?.text { parts.append(.image(url: url, caption: nil)) }
        guard !parts.isEmpty else { throw HubError.badRequest("missing_field", "the body has no text at \(mapping.text)") }
        var identities: [IdentityHint] = []
        let senderID = mapping.senderID.flatMap { document.at($0)?.text } ?? conversation
        identities.append(IdentityHint(kind: .externalID, value: "\(plugin.name):\(senderID)", verified: true))
        if let phone = mapping.senderPhone.flatMap({ document.at($0)?.text }) {
            identities.append(IdentityHint(kind: .phone, value: phone, verified: mapping.contactsVerified))
        }
        if let email = mapping.senderEmail.flatMap({ document.at($0)?.text }) {
            identities.append(IdentityHint(kind: .email, value: email, verified: mapping.contactsVerified))
        }
        let name = mapping.senderName.compactMap { document.at($0)?.text }.joined(separator: " ")
        return [
            .message(
                InboundMessage(
                    providerMessageID: mapping.messageID.flatMap { document.at($0)?.text }, threadKey: conversation, identities: identities,
                    senderName: name.isEmpty ? nil : name, parts: parts,
                    sentAt: mapping.timestamp.flatMap { Self.date(document.at($0)) } ?? raw.receivedAt))
        ]
    }

    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        if plugin.mapping == nil, let type = plugin.eventType, let document = try? Self.parse(request.body),
            !CommerceDecoding(plugin: plugin, channelID: channelID).handles(document.at(type)?.text)
        {
            return WebhookReply(
                status: 202, contentType: "application/json", body: Array(#"{"status":"ignored","reason":"event type not handled"}"#.utf8))
        }
        return plugin.acknowledgement
    }

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        guard let outbound = plugin.outbound else {
            throw SendFailure(code: "no_outbound", message: "the plug-in '\(plugin.name)' declares no outbound request", retryable: false)
        }
        var values = settingValues
        values["conversation"] = message.threadKey
        values["text"] = message.parts.plainText
        values["message_id"] = String(message.messageID)
        values["idempotency_key"] = message.idempotencyKey
        let body = outbound.body.map { Array(JSONTemplate.render($0, values: values).utf8) } ?? []
        let request = CurlRequest(
            method: outbound.method, url: outbound.url.render(values), headers: outbound.headers.map { ($0.0, $0.1.render(values)) },
            body: body, timeout: .seconds(15))
        let response: CurlResponse
        do {
            response = try await curl.perform(request)
        } catch {
            throw SendFailure(code: error.name, message: error.message, retryable: error.isTransient)
        }
        let document = try? Self.parse(response.body)
        let succeeded = response.isSuccess && (outbound.successIf.map { document?.at($0)?.isTruthy == true } ?? true)
        if succeeded {
            return SendReceipt(providerMessageID: outbound.messageID.flatMap { document?.at($0)?.text }, status: .sent)
        }
        var retryAfter: Duration?
        if let source = outbound.retryAfter {
            let text = source.hasPrefix("header:") ? response.header(String(source.dropFirst(7))) : document?.at(source)?.text
            retryAfter = text.flatMap(Int.init).map { .seconds($0) }
        }
        let detail = document?.at("/description")?.text ?? document?.at("/message")?.text ?? String(response.text.prefix(200))
        throw SendFailure(
            code: "http_\(response.status)", message: detail, retryable: outbound.retryOnStatus.contains(response.status),
            retryAfter: retryAfter)
    }

    static func parse(_ body: [UInt8]) throws(HubError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "the body is not valid JSON")
        }
    }

    /// Unix seconds, milliseconds, or ISO 8601 text.
    static func date(_ value: JSONValue?) -> Date? {
        switch value {
        case .integer(let number)?: ProviderTime.date(seconds: Double(number) / (number > 100_000_000_000 ? 1000 : 1))
        case .double(let number)?: ProviderTime.date(seconds: number)
        case .string(let text)?: (try? Date(text, strategy: .iso8601)) ?? ProviderTime.date(secondsText: text)
        default: nil
        }
    }
}
