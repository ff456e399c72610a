import Foundation
import HubCore
import HubCurl
import Testing

@testable import SMS

/// Twilio signatures and decoding against `samples/payloads` (which verify with the twilio SDK).
@Suite struct SMSTests {
    let vectors: TestVectors
    let authToken: String

    init() throws {
        vectors = try Samples.vectors("twilio")
        authToken = vectors["auth_token"]
    }

    func adapter(help: String? = nil) -> SMSAdapter {
        SMSAdapter(
            channelID: "sms", accountSID: "AC33333333333333333333333333333333", authToken: authToken, from: "+14155550100",
            messagingServiceSID: nil, apiBase: "http://127.0.0.1:9", statusCallbackURL: nil, helpReply: help, curl: CurlClient(workers: 1))
    }

    func request(url: String, body: [UInt8], signature: String?) -> InboundRequest {
        InboundRequest(
            method: "POST", publicURL: url, query: [:], headers: signature.map { ["x-twilio-signature": $0] } ?? [:], body: body,
            receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func signatureVectorsMatch() throws {
        let sms = try FormBody(parsing: try Samples.line("twilio_sms.form"))
        #expect(
            TwilioSignature.compute(url: vectors["sms_url"], form: sms, authToken: authToken) == vectors["sms_signature"])
        let status = try FormBody(parsing: try Samples.line("twilio_status_callback.form"))
        #expect(
            TwilioSignature.compute(url: vectors["status_url"], form: status, authToken: authToken)
                == vectors["status_signature"])
        // The same request signed with :443 written out still verifies.
        let withPort = vectors["sms_url"].replacingOccurrences(of: "hub.example.com", with: "hub.example.com:443")
        #expect(TwilioSignature.isValid(signature: vectors["sms_signature"], url: withPort, form: sms, authToken: authToken))
    }

    @Test func inboundMMSVerifiesAndDecodes() throws {
        let body = try Samples.line("twilio_sms.form")
        let inbound = request(url: vectors["sms_url"], body: body, signature: vectors["sms_signature"])
        let sms = adapter()
        try sms.verify(inbound)
        #expect(try sms.dedupeKey(for: inbound) == "msg:SM11111111111111111111111111111111")
        let events = try sms.decode(RawInbound(channelID: "sms", body: body, contentType: nil, receivedAt: inbound.receivedAt))
        guard case .message(let message) = events.first else { throw Failure("message") }
        #expect(message.parts.first == .text("Where is my order #1001? 谢谢"))
        guard case .image(let url, _) = message.parts.last else { throw Failure("image part") }
        #expect(url.hasSuffix("/Media/ME55555555555555555555555555555555"))
        #expect(message.identities == [IdentityHint(kind: .phone, value: "+14155550123", verified: true)])
        #expect(message.threadKey == "+14155550123")
        let ack = try #require(sms.acknowledgement(for: inbound, outcome: .accepted))
        #expect(ack.contentType == "text/xml")
        #expect(String(decoding: ack.body, as: UTF8.self).hasSuffix("<Response/>"))
    }

    @Test func wrongSignatureOrTokenIsRefused() throws {
        let body = try Samples.line("twilio_sms.form")
        let url = vectors["sms_url"]
        #expect(throws: HubError.self) { try adapter().verify(request(url: url, body: body, signature: nil)) }
        #expect(throws: HubError.self) { try adapter().verify(request(url: url, body: body, signature: "CtlyEKGqtzy3mhONU/n4e+BgNFj=")) }
        // The signature covers the URL: the same body at another URL (a proxy rewriting it) fails.
        #expect(throws: HubError.self) {
            try adapter().verify(
                request(url: "https://other.example.com/hooks/sms", body: body, signature: vectors["sms_signature"]))
        }
        var tampered = body
        tampered[tampered.count - 1] ^= 1
        #expect(throws: HubError.self) {
            try adapter().verify(request(url: url, body: tampered, signature: vectors["sms_signature"]))
        }
        do {
            let bad = Array("Body=%ZZ".utf8)
            try adapter().verify(request(url: url, body: bad, signature: "x"))
            Issue.record("malformed form accepted")
        } catch {
            #expect(error.kind == .badRequest)
        }
    }

    @Test func statusCallbacksBecomeRankedReports() throws {
        let delivered = try adapter().decode(
            RawInbound(channelID: "sms", body: try Samples.line("twilio_status_callback.form"), contentType: nil, receivedAt: Date()))
        guard case .deliveryReport(let report) = delivered.first else { throw Failure("report") }
        #expect(report.status == .delivered)
        #expect(report.rank == 4)
        let undelivered = try adapter().decode(
            RawInbound(
                channelID: "sms", body: try Samples.line("twilio_status_callback_undelivered.form"), contentType: nil, receivedAt: Date()))
        guard case .deliveryReport(let failed) = undelivered.first else { throw Failure("report") }
        #expect(failed.status == .failed)
        #expect(failed.detail == "undelivered (30003)")
        let key = try adapter().dedupeKey(
            for: request(url: "u", body: try Samples.line("twilio_status_callback.form"), signature: nil))
        #expect(key == "status:SM66666666666666666666666666666666:delivered")
    }

    @Test func keywordsChangeThePreferenceAndHelpAnswers() throws {
        func events(_ body: String) throws -> [InboundEvent] {
            try adapter().decode(
                RawInbound(
                    channelID: "sms", body: Array("MessageSid=SM1&From=%2B15550001111&Body=\(body)".utf8), contentType: nil,
                    receivedAt: Date()))
        }
        guard case .contactPreference(let stop) = try events("stop+").last else { throw Failure("stop") }
        #expect(stop.optedOut)
        guard case .contactPreference(let start) = try events("START").last else { throw Failure("start") }
        #expect(!start.optedOut)
        #expect(try events("HELP").count == 1)
        let help = adapter(help: "Tributary Shop: reply STOP to opt out.").acknowledgement(
            for: request(url: "u", body: Array("MessageSid=SM2&From=%2B15550001111&Body=help".utf8), signature: nil), outcome: .accepted)
        #expect(String(decoding: help!.body, as: UTF8.self).contains("<Message>Tributary Shop: reply STOP to opt out.</Message>"))
    }

    @Test func providerErrorsMapToRetryDecisions() {
        #expect(!SMSAdapter.failure(status: 400, object: ["code": 21610, "message": "unsubscribed"], retryAfter: nil).retryable)
        #expect(!SMSAdapter.failure(status: 400, object: ["code": 21211, "message": "invalid To"], retryAfter: nil).retryable)
        let throttled = SMSAdapter.failure(status: 429, object: ["code": 20429], retryAfter: "3")
        #expect(throttled.retryable)
        #expect(throttled.retryAfter == .seconds(3))
        #expect(SMSAdapter.failure(status: 503, object: [:], retryAfter: nil).retryable)
        #expect(!SMSAdapter.failure(status: 400, object: ["code": 21000], retryAfter: nil).retryable)
    }
}
