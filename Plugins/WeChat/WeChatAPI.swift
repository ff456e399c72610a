import Foundation
import HubCore
import HubCurl

/// Why a WeChat API call failed.
enum WeChatAPIError: Error, Sendable, Equatable {
    /// No usable HTTP response (connection, timeout, 5xx, unreadable body).
    case transport(String)
    /// WeChat answered with `errcode` ≠ 0.
    case api(code: Int, message: String)
}

/// The official account API over libcurl: the token endpoint and customer-service messages.
struct WeChatAPI: Sendable {
    let base: String
    let appID: String
    let appSecret: String
    let curl: CurlClient
    /// Dates the token's expiry.
    let clock: WallClock

    func fetchToken() async throws(WeChatAPIError) -> AccessTokenCache.Token {
        let query = "grant_type=client_credential&appid=\(PercentEncoding.component(appID))&secret=\(PercentEncoding.component(appSecret))"
        let object = try await call(CurlRequest(url: "\(base)/cgi-bin/token?\(query)", timeout: .seconds(10)))
        guard let token = object["access_token"] as? String, !token.isEmpty else {
            throw .transport("the token response has no access_token")
        }
        let lifetime = (object["expires_in"] as? NSNumber)?.doubleValue ?? 7200
        return AccessTokenCache.Token(value: token, expiresAt: clock.now().addingTimeInterval(lifetime))
    }

    /// `POST /cgi-bin/message/custom/send`; `body` is the message JSON.
    func sendCustomMessage(_ body: [UInt8], token: String) async throws(WeChatAPIError) {
        _ = try await call(
            CurlRequest(
                method: "POST", url: "\(base)/cgi-bin/message/custom/send?access_token=\(PercentEncoding.component(token))",
                headers: [("Content-Type", "application/json; charset=utf-8")], body: body, timeout: .seconds(15)))
    }

    private func call(_ request: CurlRequest) async throws(WeChatAPIError) -> [String: Any] {
        let response: CurlResponse
        do {
            response = try await curl.perform(request)
        } catch {
            throw .transport(error.description)
        }
        guard response.isSuccess else { throw .transport("HTTP \(response.status)") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw .transport("the response is not a JSON object")
        }
        if let code = (object["errcode"] as? NSNumber)?.intValue, code != 0 {
            throw .api(code: code, message: object["errmsg"] as? String ?? "")
        }
        return object
    }
}
