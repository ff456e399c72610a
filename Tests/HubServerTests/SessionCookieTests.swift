import Foundation
import HTTPTypes
import HubServer
import HummingbirdTesting
import HummingbirdWSTesting
import NIOCore
import Testing

/// The console's session: logging in sets an `HttpOnly`, `SameSite=Strict` cookie that reads the
/// API, a write with it needs the session's CSRF token, and logging out ends both.
@Suite struct SessionCookieTests {
    actor Frames {
        var count = 0
        func add(_ text: String) { count += 1 }
    }

    struct LoggedIn: Decodable {
        var token: String
        var csrfToken: String
    }

    struct Session: Decodable {
        var csrfToken: String
        var agent: Agent

        struct Agent: Decodable {
            var email: String
        }
    }

    @Test func theCookieReadsWritesNeedTheCSRFTokenAndLogoutEndsIt() async throws {
        try await TestHub.run { client in
            let created = try await client.status(
                .post, "/api/v1/agents",
                body: #"{"name": "Li", "email": "li@example.cn", "password": "correct horse battery", "role": "agent"}"#)
            #expect(created == .created)
            let (status, setCookie, body) = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"email": "li@example.cn", "password": "correct horse battery"}"#)
            ) { ($0.status, $0.headers[.setCookie] ?? "", Data($0.body.readableBytesView)) }
            #expect(status == .ok)
            let login = try Wire.decoder.decode(LoggedIn.self, from: body)
            #expect(setCookie.hasPrefix("tributary_session=\(login.token);"))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            let cookie: HTTPFields = [.cookie: "theme=dark; tributary_session=\(login.token)"]

            // Reading with the cookie alone works, and tells the page its CSRF token.
            let (sessionStatus, session) = try await client.decoded(Session.self, .get, "/api/v1/auth/session", token: nil, headers: cookie)
            #expect(sessionStatus == .ok && session.agent.email == "li@example.cn" && session.csrfToken == login.csrfToken)
            #expect(try await client.status(.get, "/api/v1/agents/me", token: nil, headers: cookie) == .ok)

            // A write with the cookie but no token, or another session's token, is refused; with it, it goes through.
            let presence = #"{"status": "online"}"#
            let (missing, missingBody) = try await client.send(
                .put, "/api/v1/agents/me/presence", body: presence, token: nil, headers: cookie)
            #expect(missing == .forbidden && String(decoding: missingBody, as: UTF8.self).contains("csrf_required"))
            var forged = cookie
            forged[HTTPField.Name("X-CSRF-Token")!] = String(repeating: "0", count: 40)
            let (wrong, wrongBody) = try await client.send(.put, "/api/v1/agents/me/presence", body: presence, token: nil, headers: forged)
            #expect(wrong == .forbidden && String(decoding: wrongBody, as: UTF8.self).contains("csrf_invalid"))
            var signed = cookie
            signed[HTTPField.Name("X-CSRF-Token")!] = login.csrfToken
            #expect(try await client.status(.put, "/api/v1/agents/me/presence", body: presence, token: nil, headers: signed) == .ok)
            // An integration token never travels as the cookie.
            #expect(
                try await client.status(
                    .get, "/api/v1/agents/me", token: nil, headers: [.cookie: "tributary_session=\(TestHub.agentToken)"])
                    == .unauthorized)

            // The event stream takes the cookie from the console's own origin only.
            let upgrade = try await client.send(.get, "/api/v1/stream?after=0", token: nil, headers: cookie)
            #expect(upgrade.0 == .badRequest && String(decoding: upgrade.1, as: UTF8.self).contains("upgrade_required"))
            var elsewhere = cookie
            elsewhere[.origin] = "https://evil.example"
            #expect(try await client.status(.get, "/api/v1/stream?after=0", token: nil, headers: elsewhere) == .forbidden)
            let frames = Frames()
            try await client.ws("/api/v1/stream?after=0", configuration: .init(additionalHeaders: cookie)) { inbound, _, _ in
                for try await frame in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = frame else { continue }
                    await frames.add(text)
                    return
                }
            }
            #expect(await frames.count == 1)

            // Logging out clears the cookie and ends the session for every way of sending it.
            let (outStatus, cleared) = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: signed) {
                ($0.status, $0.headers[.setCookie] ?? "")
            }
            #expect(outStatus == .ok && cleared.hasPrefix("tributary_session=;") && cleared.contains("Max-Age=0"))
            #expect(try await client.status(.get, "/api/v1/agents/me", token: nil, headers: cookie) == .unauthorized)
            #expect(try await client.status(.get, "/api/v1/agents/me", token: login.token) == .unauthorized)
        }
    }
}
