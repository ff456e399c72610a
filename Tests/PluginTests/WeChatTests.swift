import Foundation
import HubCore
import HubCurl
import Testing

@testable import WeChat

/// WeChat signatures, safe-mode crypto and decoding, against the vectors in
/// `samples/payloads/test_vectors.json` (which round-trip with wechatpy).
@Suite struct WeChatTests {
    let vectors: TestVectors
    let token: String
    let appID: String
    let key: String

    init() throws {
        vectors = try Samples.vectors("wechat")
        token = vectors["token"]
        appID = vectors["appid"]
        key = vectors["encoding_aes_key"]
    }

    func adapter(encrypted: Bool = true, welcome: String? = nil) -> WeChatAdapter {
        WeChatAdapter(
            channelID: "wx", appID: appID, appSecret: "secret", token: token,
            crypto: encrypted ? WeChatCrypto(encodingAESKey: key, appID: appID) : nil, welcomeReply: welcome, timestampTolerance: 300,
            apiBase: "http://127.0.0.1:9", curl: CurlClient(workers: 1), clock: WallClock { Date(timeIntervalSince1970: 1_700_000_000) })
    }

    var vectorTime: Date { Date(timeIntervalSince1970: 1_700_000_000) }

    func request(query: [String: String], body: [UInt8], at time: Date? = nil) -> InboundRequest {
        InboundRequest(
            method: "POST", publicURL: "https://hub.example.com/hooks/wx", query: query, headers: [:], body: body,
            receivedAt: time ?? vectorTime)
    }

    func plainQuery(timestamp: String = "1700000000", nonce: String = "1320562132") -> [String: String] {
        ["signature": WeChatSignature.sign([token, timestamp, nonce]), "timestamp": timestamp, "nonce": nonce, "openid": "o"]
    }

    @Test func urlCheckSignatureMatchesTheVectorAndEchoes() throws {
        #expect(WeChatSignature.sign([token, "1700000000", "1320562132"]) == vectors["signature"])
        let query = [
            "signature": vectors["signature"], "timestamp": "1700000000", "nonce": "1320562132",
            "echostr": "6428732847289384711",
        ]
        let reply = try adapter().answerVerification(request(query: query, body: []))
        #expect(reply.body == Array("6428732847289384711".utf8))
        var forged = query
        forged["signature"] = String(repeating: "0", count: 40)
        #expect(throws: HubError.self) { try adapter().answerVerification(request(query: forged, body: [])) }
    }

    @Test func safeModeVectorDecryptsToTheTextSample() throws {
        let crypto = try #require(WeChatCrypto(encodingAESKey: key, appID: appID))
        let outer = try WeChatXML.fields(try Samples.text("wechat_encrypted_post.xml"))
        let sealed = try #require(outer["Encrypt"])
        let plain = try crypto.decrypt(sealed)
        let expected = try Samples.text("wechat_text.xml").trimmingCharacters(in: .newlines)
        #expect(plain == expected)
        // Deterministic with the vector's fixed prefix: our encryption is byte-identical.
        #expect(try crypto.encrypt(expected, prefix: Array(vectors["random16_inbound"].utf8)) == sealed)
        #expect(WeChatSignature.sign([token, "1700000000", "1320562132", sealed]) == vectors["msg_signature"])
    }

    @Test func encryptedReplyVectorMatches() throws {
        let crypto = try #require(WeChatCrypto(encodingAESKey: key, appID: appID))
        let reply = try WeChatXML.fields(try Samples.text("wechat_encrypted_reply.xml"))
        let sealed = try #require(reply["Encrypt"])
        let plain = try crypto.decrypt(sealed)
        #expect(plain == (try Samples.text("wechat_reply_text.xml")).trimmingCharacters(in: .newlines))
        #expect(try crypto.encrypt(plain, prefix: Array(vectors["random16_reply"].utf8)) == sealed)
        #expect(WeChatSignature.sign([token, "1700000002", "987654321", sealed]) == vectors["reply_msg_signature"])
    }

    @Test func encryptedPushVerifiesDedupesAndDecodes() throws {
        let query = Samples.query(try Samples.text("wechat_encrypted_post.query"))
        let body = try Samples.bytes("wechat_encrypted_post.xml")
        let wx = adapter()
        try wx.verify(request(query: query, body: body))
        #expect(try wx.dedupeKey(for: request(query: query, body: body)) == "msg:24300000000000001")
        let events = try wx.decode(RawInbound(channelID: "wx", body: body, contentType: "text/xml", receivedAt: vectorTime))
        guard case .message(let message) = events.first else {
            Issue.record("expected a message, got \(events)")
            return
        }
        #expect(message.parts == [.text("你好，我的订单 #1001 到哪了？")])
        #expect(message.threadKey == "oUser_openid_AbCdEfGh123456")
        #expect(message.identities == [IdentityHint(kind: .wechatOpenID, value: "\(appID):oUser_openid_AbCdEfGh123456", verified: true)])
        #expect(message.sentAt == vectorTime)
        #expect(wx.acknowledgement(for: request(query: query, body: body), outcome: .accepted) == .text("success"))
    }

    @Test func forgedOrCorruptedPushesAreRefusedWithTheRightStatus() throws {
        let query = Samples.query(try Samples.text("wechat_encrypted_post.query"))
        let body = try Samples.bytes("wechat_encrypted_post.xml")
        let wx = adapter()
        func kind(_ query: [String: String], _ body: [UInt8], at time: Date? = nil) -> HubError.Kind? {
            do {
                try wx.verify(request(query: query, body: body, at: time))
                return nil
            } catch {
                return error.kind
            }
        }
        var badMessageSignature = query
        badMessageSignature["msg_signature"] = String(repeating: "a", count: 40)
        #expect(kind(badMessageSignature, body) == .unauthorized)
        var badSignature = query
        badSignature["signature"] = String(repeating: "b", count: 40)
        #expect(kind(badSignature, body) == .unauthorized)
        #expect(kind(query, body, at: vectorTime.addingTimeInterval(3600)) == .unauthorized, "stale timestamp")

        // Another official account's ciphertext, correctly signed: the appid inside is checked.
        let other = try #require(WeChatCrypto(encodingAESKey: key, appID: "wxOTHER00000000000"))
        let foreign = try other.encrypt(try Samples.text("wechat_text.xml"), prefix: Array(repeating: 1, count: 16))
        #expect(kind(signed(foreign), envelope(foreign)) == .unauthorized)

        // Corrupted ciphertexts: truncated, not base64, padding byte broken. 400, no crash.
        let crypto = try #require(WeChatCrypto(encodingAESKey: key, appID: appID))
        let good = try crypto.encrypt(try Samples.text("wechat_text.xml"), prefix: Array(repeating: 2, count: 16))
        var raw = Array(Data(base64Encoded: good)!)
        let truncated = Data(raw.dropLast(5)).base64EncodedString()
        #expect(kind(signed(truncated), envelope(truncated)) == .badRequest)
        #expect(kind(signed("%%%notbase64"), envelope("%%%notbase64")) == .badRequest)
        raw[raw.count - 1] ^= 0x5A
        let badPadding = Data(raw).base64EncodedString()
        #expect(kind(signed(badPadding), envelope(badPadding)) == .badRequest)
        let empty = ""
        #expect(kind(signed(empty), envelope(empty)) == .badRequest)

        // Malformed XML, signed correctly.
        #expect(kind(plainQuery(), Array("<xml><ToUserName>gh".utf8)) == .unauthorized, "plaintext refused when a key is set")
        let plainOnly = adapter(encrypted: false)
        do {
            try plainOnly.verify(request(query: plainQuery(), body: Array("<xml><ToUserName>gh".utf8)))
            Issue.record("malformed XML accepted")
        } catch {
            #expect(error.kind == .badRequest)
        }
    }

    func envelope(_ sealed: String) -> [UInt8] {
        Array("<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[\(sealed)]]></Encrypt></xml>".utf8)
    }

    func signed(_ sealed: String) -> [String: String] {
        var query = plainQuery()
        query["encrypt_type"] = "aes"
        query["msg_signature"] = WeChatSignature.sign([token, "1700000000", "1320562132", sealed])
        return query
    }

    @Test func plaintextSamplesDecodeToMessagesAndActivities() throws {
        let wx = adapter(encrypted: false)
        func decode(_ name: String) throws -> [InboundEvent] {
            let body = try Samples.bytes(name)
            try wx.verify(request(query: plainQuery(), body: body))
            return try wx.decode(RawInbound(channelID: "wx", body: body, contentType: "text/xml", receivedAt: vectorTime))
        }
        guard case .message(let voice) = try decode("wechat_voice.xml").first else { throw Failure("voice") }
        #expect(voice.parts.first == .text("查询物流"))
        #expect(voice.parts.count == 2)
        guard case .message(let image) = try decode("wechat_image.xml").first, case .image = image.parts.first else {
            throw Failure("image")
        }
        let subscribe = try decode("wechat_event_subscribe.xml")
        guard case .activity(let follow) = subscribe.first, case .contactPreference(let preference) = subscribe.last else {
            throw Failure("subscribe")
        }
        #expect(follow.kind == "wechat.subscribe")
        #expect(follow.summary.contains("store42"))
        #expect(follow.opensReplyWindow)
        #expect(!preference.optedOut)
        guard case .contactPreference(let gone) = try decode("wechat_event_unsubscribe.xml").last else { throw Failure("unsubscribe") }
        #expect(gone.optedOut)
        guard case .activity(let click) = try decode("wechat_event_click.xml").first else { throw Failure("click") }
        #expect(click.kind == "wechat.click")
        let body = try Samples.bytes("wechat_event_click.xml")
        let key = try wx.dedupeKey(for: request(query: plainQuery(), body: body))
        #expect(key?.hasPrefix("event:") == true)
    }

    @Test func followGetsTheWelcomeAsAnEncryptedPassiveReply() throws {
        let wx = adapter(welcome: "欢迎关注！")
        let crypto = try #require(WeChatCrypto(encodingAESKey: key, appID: appID))
        let sealed = try crypto.encrypt(try Samples.text("wechat_event_subscribe.xml"), prefix: WeChatCrypto.randomPrefix())
        let inbound = request(query: signed(sealed), body: envelope(sealed), at: Date(timeIntervalSince1970: 1_700_000_100))
        try wx.verify(inbound)
        let reply = try #require(wx.acknowledgement(for: inbound, outcome: .accepted))
        let fields = try WeChatXML.fields(String(decoding: reply.body, as: UTF8.self))
        let inner = try WeChatXML.fields(try crypto.decrypt(try #require(fields["Encrypt"])))
        #expect(inner["Content"] == "欢迎关注！")
        #expect(inner["ToUserName"] == "oUser_openid_AbCdEfGh123456")
        #expect(
            fields["MsgSignature"]
                == WeChatSignature.sign([token, fields["TimeStamp"]!, fields["Nonce"]!, fields["Encrypt"]!]))
    }

    @Test func xmlReaderRefusesWhatIsNotAFlatDocument() throws {
        for bad in [
            "", "<xml>", "<root></root>", "<xml><A>1</B></xml>", "<xml><A><![CDATA[x</A></xml>", "<xml><A>&bogus;</A></xml>",
            "<xml><!DOCTYPE x></xml>", "<xml><A>1</A></xml>trailing",
        ] {
            #expect(throws: WeChatXML.Malformed.self, "\(bad)") { try WeChatXML.fields(bad) }
        }
        #expect(try WeChatXML.fields("<xml><A>a &amp; b &#20320;</A><B><![CDATA[<c>]]></B></xml>") == ["A": "a & b 你", "B": "<c>"])
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
