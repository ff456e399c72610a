import Foundation
package import HubCore
import HubCurl

/// A Kuaidi100-style tracking provider: parcels are subscribed for signed push
/// callbacks, or queried for carriers without push; every trace becomes tracking
/// events on the timeline of the order's customer.
package struct Kuaidi100Adapter: TrackingAdapter {
    package let channelID: ChannelID
    let customer: String
    let key: String
    let salt: String
    let apiBase: String
    let callbackURL: String
    /// Carrier codes followed by querying instead of pushes.
    let queryCarriers: Set<String>
    package let queryInterval: Duration
    let curl: CurlClient

    package var capabilities: ChannelCapabilities { ChannelCapabilities(partKinds: []) }

    static let queriedTopic = "query"

    // MARK: Push callbacks

    package func verify(_ request: InboundRequest) throws(HubError) {
        _ = try accept(request)
    }

    /// The signature over `param`, then the trace decoded once.
    package func accept(_ request: InboundRequest) throws(HubError) -> AcceptedDelivery {
        let (param, sign) = try Self.form(request.body)
        guard ConstantTime.equals(Kuaidi100Signature.sign(param + salt), sign.uppercased()) else {
            throw HubError.unauthorized("bad_signature", "sign is not MD5(param + salt)")
        }
        return AcceptedDelivery(dedupeKey: Self.dedupeKey(param: param), events: try Self.events(param: param))
    }

    package func dedupeKey(for request: InboundRequest) throws(HubError) -> String? {
        Self.dedupeKey(param: try Self.form(request.body).param)
    }

    /// The trace is resent whole; the same trace twice is one delivery.
    static func dedupeKey(param: String) -> String {
        "push:" + Kuaidi100Signature.sign(param)
    }

    static func events(param: String) throws(HubError) -> [InboundEvent] {
        let push = try json(Kuaidi100Push.self, Array(param.utf8))
        guard let trace = push.lastResult else { throw HubError.badRequest("missing_trace", "the push has no lastResult") }
        return [.tracking(try trace.update(finished: push.status == "shutdown"))]
    }

    package func decode(_ raw: RawInbound) throws(HubError) -> [InboundEvent] {
        if raw.topic == Self.queriedTopic {
            return [.tracking(try Self.json(Kuaidi100Trace.self, raw.body).update(finished: false))]
        }
        return try Self.events(param: Self.form(raw.body).param)
    }

    /// Kuaidi100 retries unless it reads exactly this.
    package func acknowledgement(for request: InboundRequest, outcome: WebhookOutcome) -> WebhookReply? {
        WebhookReply(contentType: "application/json", body: Array(#"{"result":true,"returnCode":"200","message":"成功"}"#.utf8))
    }

    package func send(_ message: OutboundMessage) async throws(SendFailure) -> SendReceipt {
        throw SendFailure(
            code: "not_a_messaging_channel", message: "a tracking channel carries parcel scans, not messages", retryable: false)
    }

    static func form(_ body: [UInt8]) throws(HubError) -> (param: String, sign: String) {
        let form = try FormBody(parsing: body)
        guard let param = form["param"], let sign = form["sign"] else {
            throw HubError.unauthorized("missing_signature", "the push needs param and sign")
        }
        return (param, sign)
    }

    static func json<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(HubError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "the trace is not the expected JSON")
        }
    }

    // MARK: Following parcels

    package func polls(_ shipment: TrackedShipment) -> Bool {
        CarrierCodes.code(for: shipment.carrierName).map(queryCarriers.contains) ?? false
    }

    package func subscribe(_ shipment: TrackedShipment) async throws(SyncFailure) {
        var parameters: [String: String] = ["callbackurl": callbackURL, "salt": salt, "resultv2": "1"]
        if let phone = shipment.phone { parameters["phone"] = String(phone.filter(\.isNumber).suffix(11)) }
        let code = CarrierCodes.code(for: shipment.carrierName)
        if code == nil { parameters["autoCom"] = "1" }
        let param = Self.jsonText([
            "company": code ?? "", "number": shipment.trackingNumber, "key": key, "parameters": parameters,
        ])
        let answer = try await post("/poll", [("schema", "json"), ("param", param)])
        // 501 is "already subscribed": the parcel is followed, which is what was asked.
        guard answer["result"] as? Bool == true || (answer["returnCode"] as? String) == "501" else {
            let code = answer["returnCode"] as? String ?? "?"
            throw SyncFailure(
                message: "subscribe refused (\(code)): \(answer["message"] as? String ?? "")",
                transient: code.hasPrefix("5") && code != "501")
        }
    }

    package func query(_ shipment: TrackedShipment) async throws(SyncFailure) -> SyncItem {
        var fields: [String: String] = [
            "com": CarrierCodes.code(for: shipment.carrierName) ?? "", "num": shipment.trackingNumber, "resultv2": "1", "show": "0",
            "order": "desc",
        ]
        if let phone = shipment.phone { fields["phone"] = String(phone.filter(\.isNumber).suffix(11)) }
        let param = Self.jsonText(fields)
        let body = try await postRaw(
            "/poll/query.do", [("customer", customer), ("sign", Kuaidi100Signature.sign(param + key + customer)), ("param", param)])
        let answer = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        guard answer["nu"] != nil else {
            throw SyncFailure(
                message: "query failed: \(answer["message"] as? String ?? String(decoding: body.prefix(200), as: UTF8.self))",
                transient: true)
        }
        return SyncItem(
            dedupeKey: "query:" + Kuaidi100Signature.sign(String(decoding: body, as: UTF8.self)), topic: Self.queriedTopic, body: body)
    }

    private func post(_ path: String, _ form: [(String, String)]) async throws(SyncFailure) -> [String: Any] {
        let body = try await postRaw(path, form)
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    private func postRaw(_ path: String, _ form: [(String, String)]) async throws(SyncFailure) -> [UInt8] {
        let response: CurlResponse
        do {
            response = try await curl.perform(
                CurlRequest(
                    method: "POST", url: apiBase + path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: PercentEncoding.form(form.map { (name: $0.0, value: $0.1) }), timeout: .seconds(15)))
        } catch {
            throw SyncFailure(message: error.description, transient: error.isTransient)
        }
        guard response.isSuccess else {
            throw SyncFailure(message: "HTTP \(response.status)", transient: response.status == 429 || response.status >= 500)
        }
        return response.body
    }

    static func jsonText(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
