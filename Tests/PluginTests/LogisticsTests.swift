import Foundation
import HubCore
import HubCurl
import Testing

@testable import Logistics

/// Kuaidi100 signatures, push decoding and stage mapping against `samples/payloads`.
@Suite struct LogisticsTests {
    let vectors: TestVectors

    init() throws {
        vectors = try Samples.vectors("kuaidi100")
    }

    func adapter() -> Kuaidi100Adapter {
        Kuaidi100Adapter(
            channelID: "track", customer: vectors["customer"], key: vectors["key"], salt: vectors["salt"],
            apiBase: "http://127.0.0.1:9", callbackURL: "https://hub.example.com/hooks/track", queryCarriers: [],
            queryInterval: .seconds(60),
            curl: CurlClient(workers: 1))
    }

    func push(param: String, sign: String) -> InboundRequest {
        let body = "param=\(PercentEncoding.component(param))&sign=\(sign)"
        return InboundRequest(
            method: "POST", publicURL: "https://hub.example.com/hooks/track", query: [:], headers: [:], body: Array(body.utf8),
            receivedAt: Date())
    }

    @Test func signaturesMatchTheVectors() {
        let param = vectors["push_param"]
        #expect(Kuaidi100Signature.sign(param + vectors["salt"]) == vectors["push_sign"])
        let query = vectors["query_param"]
        #expect(
            Kuaidi100Signature.sign(query + vectors["key"] + vectors["customer"]) == vectors["query_sign"])
    }

    @Test func signedPushVerifiesAndDecodesTheTrace() throws {
        let request = push(param: vectors["push_param"], sign: vectors["push_sign"])
        let tracker = adapter()
        try tracker.verify(request)
        let events = try tracker.decode(RawInbound(channelID: "track", body: request.body, contentType: nil, receivedAt: Date()))
        guard case .tracking(let update) = events.first else { throw Failure("tracking") }
        #expect(update.trackingNumber == "SF1234567890")
        #expect(update.carrier == "shunfeng")
        #expect(update.stage == .inTransit)
        #expect(update.checkpoints.count == 2)
        #expect(update.checkpoints.map(\.stage) == [.inTransit, .pickedUp])
        // 2023-11-14 22:10:00 in China is 14:10 UTC.
        #expect(update.checkpoints.first?.time == Date(timeIntervalSince1970: 1_699_971_000))
        #expect(
            String(decoding: tracker.acknowledgement(for: request, outcome: .accepted)!.body, as: UTF8.self).contains(
                #""returnCode":"200""#))
        #expect(try tracker.dedupeKey(for: request) == "push:" + Kuaidi100Signature.sign(vectors["push_param"]))
    }

    @Test func aWrongSaltOrTamperedTraceIsRefused() {
        let param = vectors["push_param"]
        #expect(throws: HubError.self) { try adapter().verify(push(param: param, sign: "00000000000000000000000000000000")) }
        #expect(throws: HubError.self) {
            try adapter().verify(
                push(param: param.replacingOccurrences(of: "SF1234567890", with: "SF0000000000"), sign: vectors["push_sign"]))
        }
    }

    @Test func stagesAndCarriers() {
        #expect(Kuaidi100Trace.stage(code: "1") == .pickedUp)
        #expect(Kuaidi100Trace.stage(code: "501") == .outForDelivery)
        #expect(Kuaidi100Trace.stage(code: "301") == .delivered)
        #expect(Kuaidi100Trace.stage(code: "14") == .exception)
        #expect(Kuaidi100Trace.stage(code: "6") == .returned)
        #expect(Kuaidi100Trace.stage(word: "派件") == .outForDelivery)
        #expect(CarrierCodes.code(for: "SF Express") == "shunfeng")
        #expect(CarrierCodes.code(for: "中通快递") == "zhongtong")
        #expect(CarrierCodes.code(for: "Pigeon Post") == nil)
    }
}
