import Foundation
import HubCore
import HubCurl
import Testing

@testable import Webhook

struct NoLiveSessions: LiveDelivery {
    func deliver(_ message: MessageView, channelID: ChannelID, threadKey: String) async -> Bool { false }
}

/// The declarative `webhook` kind: the Telegram plug-in file, Standard Webhooks and HMAC
/// schemes, and `tributary check`'s strictness about plug-in files.
@Suite struct WebhookTests {
    static let telegramPlugin = Samples.folder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Plugins/Telegram/telegram.yaml").path

    static func manifest(plugin: String, settings: String) -> String {
        """
        channels:
          - id: tg
            kind: webhook
            plugin: \(plugin)
            settings: \(settings)
        """
    }

    static func load(_ yaml: String, environment: [String: String]) throws(ManifestReport) -> Manifest {
        try ManifestLoader(registry: ChannelKindRegistry([WebhookKind.self]), environment: environment).load(yaml: yaml, file: "hub.yaml")
    }

    static func adapter(plugin: String = telegramPlugin, settings: [String: SettingValue]) throws -> WebhookAdapter {
        let channel = ChannelConfig(id: "tg", kind: "webhook", plugin: plugin, settings: ChannelSettings(settings))
        var services = AdapterServices(live: NoLiveSessions())
        services.lend(CurlClient(workers: 1))
        return try #require(try WebhookKind.makeAdapter(for: channel, services: services) as? WebhookAdapter)
    }

    static var telegram: WebhookAdapter {
        get throws {
            try adapter(settings: [
                "bot_token": .string("123:ABC"), "secret_token": .string("hub_tg_secret-0123456789_ABC"),
                "api_base": .string("http://127.0.0.1:9"),
            ])
        }
    }

    func request(_ body: [UInt8], headers: [String: String], at time: Date = Date()) -> InboundRequest {
        InboundRequest(
            method: "POST", publicURL: "https://hub.example.com/hooks/tg", query: [:], headers: headers, body: body, receivedAt: time)
    }

    @Test func telegramPluginValidatesInAManifest() throws {
        let manifest = try Self.load(
            Self.manifest(plugin: Self.telegramPlugin, settings: "{ bot_token: \"${BOT}\", secret_token: \"${SECRET}\" }"),
            environment: ["BOT": "1:x", "SECRET": "s"])
        #expect(manifest.channels.first?.settings.string("api_base") == "https://api.telegram.org")
        do {
            _ = try Self.load(Self.manifest(plugin: Self.telegramPlugin, settings: "{ bot_token: plain, colour: red }"), environment: [:])
            Issue.record("expected problems")
        } catch {
            let text = error.description
            #expect(text.contains("channels[0].settings.bot_token: secrets must come from the environment"))
            #expect(text.contains("channels[0].settings.colour: unknown key"))
            #expect(text.contains("channels[0].settings.secret_token: missing required setting"))
        }
    }

    @Test func brokenPluginFilesAreReportedWithTheirOwnFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.yaml")
        try """
        name: broken
        settings:
          token: secret
        inbound:
          auth: { scheme: header_secret, header: X-Token, secret: "{{settings.tokn}}" }
          dedupe_key: update_id
          map: { conversation: /chat, txt: /text }
        outbound:
          url: "https://x/{{chat}}"
        """.write(to: broken, atomically: true, encoding: .utf8)
        do {
            _ = try Self.load(Self.manifest(plugin: broken.path, settings: "{ token: \"${T}\" }"), environment: ["T": "t"])
            Issue.record("expected problems")
        } catch {
            let text = error.description
            #expect(text.contains("broken.yaml:5:"), "\(text)")
            #expect(text.contains("{{settings.tokn}} names a setting the plug-in does not declare"))
            #expect(text.contains("inbound.dedupe_key: expected a JSON pointer"))
            #expect(text.contains("inbound.map.txt: unknown key"))
            #expect(text.contains("inbound.map.text: missing required JSON pointer"))
            #expect(text.contains("unknown placeholder {{chat}}"))
        }
        do {
            _ = try Self.load(Self.manifest(plugin: "nowhere.yaml", settings: "{}"), environment: [:])
            Issue.record("expected a missing-file problem")
        } catch {
            #expect(error.description.contains("channels[0].plugin: plug-in file 'nowhere.yaml' not found"))
        }
    }

    /// A repeated key in a plug-in file, and in the manifest naming it, is one clear problem at
    /// the key's line, not "invalid YAML" at 1:1 with the whole file quoted (as both readers
    /// reported it before they shared one path).
    @Test func aKeyGivenTwiceInAPluginFileIsReportedAtItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let twice = folder.appendingPathComponent("twice.yaml")
        try """
        name: twice
        settings:
          token: secret
          token: string
        inbound:
          auth: { scheme: header_secret, header: X-Token, secret: "{{settings.token}}" }
          dedupe_key: /update_id
          map: { conversation: /chat, text: /text, text: /caption }
        name: again
        """.write(to: twice, atomically: true, encoding: .utf8)
        do {
            _ = try Self.load(Self.manifest(plugin: twice.path, settings: "{ token: \"${T}\" }"), environment: ["T": "t"])
            Issue.record("expected the repeated key to be a problem")
        } catch {
            #expect(error.problems.count == 1, "\(error)")
            let problem = try #require(error.problems.first)
            #expect(problem.file == twice.path)
            #expect(problem.line == 3 && problem.keyPath == "token", "\(problem)")
            #expect(problem.message.hasPrefix("key 'token' given twice in this map"), "\(problem)")
            #expect(!problem.message.contains("inbound"), "the file's text is not quoted: \(problem)")
        }
        do {
            _ = try Self.load(
                Self.manifest(plugin: Self.telegramPlugin, settings: "{ bot_token: \"${B}\", bot_token: \"${B}\" }"),
                environment: ["B": "1:x"])
            Issue.record("expected the repeated setting to be a problem")
        } catch {
            let problem = try #require(error.problems.first)
            #expect(problem.message.hasPrefix("key 'bot_token' given twice"), "\(problem)")
            #expect(problem.file == "hub.yaml" && problem.line == 5, "\(problem)")
        }
    }

    @Test func telegramUpdateVerifiesDedupesAndDecodes() throws {
        let body = try Samples.bytes("telegram_update.json")
        let good = request(body, headers: ["x-telegram-bot-api-secret-token": "hub_tg_secret-0123456789_ABC"])
        let telegram = try Self.telegram
        try telegram.verify(good)
        #expect(try telegram.dedupeKey(for: good) == "987654321")
        let events = try telegram.decode(RawInbound(channelID: "tg", body: body, contentType: "application/json", receivedAt: Date()))
        guard case .message(let message) = events.first else { throw Failure("message") }
        #expect(message.parts == [.text("Where is my order #1001?")])
        #expect(message.threadKey == "5566778899")
        #expect(message.senderName == "San Zhang")
        #expect(message.providerMessageID == "4242")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(message.identities.first == IdentityHint(kind: .externalID, value: "telegram:5566778899", verified: true))
        #expect(telegram.acknowledgement(for: good, outcome: .accepted)?.body == [])

        #expect(throws: HubError.self) {
            try telegram.verify(self.request(body, headers: ["x-telegram-bot-api-secret-token": "hub_tg_secret-0123456789_ABD"]))
        }
        #expect(throws: HubError.self) { try telegram.verify(self.request(body, headers: [:])) }
        do {
            try telegram.verify(
                request(Array("{not json".utf8), headers: ["x-telegram-bot-api-secret-token": "hub_tg_secret-0123456789_ABC"]))
            Issue.record("malformed JSON accepted")
        } catch {
            #expect(error.kind == .badRequest)
        }
        // An edited message (no /message/text) is acknowledged and ignored.
        let edit = Array(#"{"update_id":5,"edited_message":{"message_id":1,"chat":{"id":1},"text":"x"}}"#.utf8)
        #expect(try telegram.decode(RawInbound(channelID: "tg", body: edit, contentType: nil, receivedAt: Date())).isEmpty)
    }

    func standardWebhooksPlugin() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sw-\(UUID().uuidString).yaml")
        try """
        name: shopkeeper
        settings: { secret: secret }
        inbound:
          auth: { scheme: standard_webhooks, secret: "{{settings.secret}}", tolerance: 5m }
          map: { conversation: /data/order_id, text: /data/status, timestamp: /timestamp }
        """.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func standardWebhooksVectorVerifiesWithAFrozenClockAndReplaysAreRefused() throws {
        let vectors = try Samples.vectors("standard_webhooks")
        let adapter = try Self.adapter(plugin: try standardWebhooksPlugin(), settings: ["secret": .string(vectors["secret"])])
        let body = try Samples.line("standard_webhook_order_updated.json")
        let headers = [
            "webhook-id": vectors["msg_id"], "webhook-timestamp": "1700000000",
            // A bogus entry first, as in the sample: it is skipped, not fatal.
            "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + vectors["signature"],
        ]
        let at = Date(timeIntervalSince1970: 1_700_000_010)
        try adapter.verify(request(body, headers: headers, at: at))
        #expect(try adapter.dedupeKey(for: request(body, headers: headers, at: at)) == vectors["msg_id"])
        do {
            try adapter.verify(request(body, headers: headers, at: at.addingTimeInterval(5)))
            Issue.record("a replayed delivery was accepted")
        } catch {
            #expect(error.code == "replayed")
        }
        do {
            try adapter.verify(request(body, headers: headers, at: Date()))
            Issue.record("a stale timestamp was accepted")
        } catch {
            #expect(error.code == "stale_timestamp")
        }
        let otherKey = try Self.adapter(
            plugin: try standardWebhooksPlugin(),
            settings: ["secret": .string("whsec_" + Data("another-key-0123456789abcdef".utf8).base64EncodedString())])
        do {
            try otherKey.verify(request(body, headers: headers, at: at))
            Issue.record("a wrong key was accepted")
        } catch {
            #expect(error.code == "bad_signature")
        }
        guard
            case .message(let message) = try adapter.decode(RawInbound(channelID: "tg", body: body, contentType: nil, receivedAt: at)).first
        else { throw Failure("message") }
        #expect(message.threadKey == "1001")
        #expect(message.sentAt == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func hmacSchemeChecksTheRawBody() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hmac-\(UUID().uuidString).yaml")
        try """
        name: shop
        settings: { key: secret }
        inbound:
          auth: { scheme: hmac_sha256, header: X-Signature, encoding: hex, prefix: "sha256=", secret: "{{settings.key}}" }
          dedupe_key: header:X-Delivery
          map: { conversation: /customer, text: /text }
        """.write(to: file, atomically: true, encoding: .utf8)
        let adapter = try Self.adapter(plugin: file.path, settings: ["key": .string("It's a Secret to Everybody")])
        // GitHub's documented example: this key and body give this signature.
        let body = Array("Hello, World!".utf8)
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        do {
            try adapter.verify(request(body, headers: ["x-signature": signature]))
            Issue.record("a non-JSON body passed verification")
        } catch {
            #expect(error.kind == .badRequest, "the signature matched; the body is just not JSON")
        }
        #expect(throws: HubError.self) { try adapter.verify(self.request(body, headers: ["x-signature": "sha256=00"])) }
        #expect(throws: HubError.self) { try adapter.verify(self.request(body, headers: [:])) }
    }

    @Test func bodyTemplateKeepsLiteralsAndEscapesText() throws {
        let node = try #require(
            try ConfigNode.parse(yaml: #"{ chat_id: "{{conversation}}", text: "{{text}}", silent: true, n: 3, q: "3" }"#))
        let json = JSONTemplate.render(node, values: ["conversation": "42", "text": "line \"one\"\n中文"])
        #expect(json == #"{"chat_id":"42","text":"line \"one\"\n中文","silent":true,"n":3,"q":"3"}"#)
    }
}

/// The Commerce plug-in: Standard Webhooks order and shipment events.
@Suite struct CommercePluginTests {
    static let plugin = Samples.folder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Plugins/Commerce/commerce.yaml").path

    @Test func theSignedSampleBecomesAnOrderWithItsShipment() throws {
        let vectors = try Samples.vectors("standard_webhooks")
        let adapter = try WebhookTests.adapter(plugin: Self.plugin, settings: ["webhook_secret": .string(vectors["secret"])])
        let body = try Samples.line("standard_webhook_order_updated.json")
        let request = InboundRequest(
            method: "POST", publicURL: "https://hub.example.com/hooks/store", query: [:],
            headers: [
                "webhook-id": vectors["msg_id"], "webhook-timestamp": "1700000000",
                "webhook-signature": vectors["signature"],
            ], body: body, receivedAt: Date(timeIntervalSince1970: 1_700_000_010))
        try adapter.verify(request)
        guard
            case .order(let order) = try adapter.decode(RawInbound(channelID: "tg", body: body, contentType: nil, receivedAt: Date())).first
        else { throw Failure("order") }
        #expect(order.orderID == "1001")
        #expect(order.fulfillmentStatus == "shipped")
        #expect(order.shopUpdatedAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(order.fulfillments.first?.trackingNumber == "SF1234567890")
        #expect(adapter.acknowledgement(for: request, outcome: .accepted) == nil)
    }

    @Test func shipmentsUnknownTypesAndMissingIds() throws {
        let adapter = try WebhookTests.adapter(
            plugin: Self.plugin, settings: ["webhook_secret": .string("whsec_" + Data("k".utf8).base64EncodedString())])
        let shipment = Array(
            #"{"type":"shipment.updated","timestamp":"2024-05-01T10:00:00Z","data":{"order_id":"1001","shipment_id":"S1","status":"delivered","tracking_number":"SF1"}}"#
                .utf8)
        guard
            case .fulfillment(let parcel) = try adapter.decode(
                RawInbound(channelID: "store", body: shipment, contentType: nil, receivedAt: Date())
            ).first
        else { throw Failure("shipment") }
        #expect(parcel.fulfillmentID == "S1")
        #expect(parcel.shipmentStatus == "delivered")
        let refund = Array(#"{"type":"refund.created","timestamp":"2024-05-01T10:00:00Z","data":{}}"#.utf8)
        #expect(try adapter.decode(RawInbound(channelID: "store", body: refund, contentType: nil, receivedAt: Date())).isEmpty)
        let request = InboundRequest(method: "POST", publicURL: "u", query: [:], headers: [:], body: refund, receivedAt: Date())
        #expect(adapter.acknowledgement(for: request, outcome: .accepted)?.status == 202)
        let noID = Array(#"{"type":"order.created","timestamp":"2024-05-01T10:00:00Z","data":{"total":"1.00"}}"#.utf8)
        do {
            _ = try adapter.decode(RawInbound(channelID: "store", body: noID, contentType: nil, receivedAt: Date()))
            Issue.record("an order without id decoded")
        } catch {
            #expect(error.code == "missing_order_id")
        }
    }
}
