import Foundation
import HTTPTypes
import HubServer
import HummingbirdTesting
import NIOCore
import Testing

/// The console's files come from the binary: the page with its security policy, every module
/// it imports (so none can be missing from the build), validators for reloads, and 404s.
@Suite struct ConsoleAssetsTests {
    func fetch(_ client: any TestClientProtocol, _ path: String, headers: HTTPFields = [:]) async throws -> (
        HTTPResponse.Status, HTTPFields, String
    ) {
        try await client.execute(uri: path, method: .get, headers: headers) {
            ($0.status, $0.headers, String(buffer: $0.body))
        }
    }

    @Test func thePageAndEveryModuleItImportsAreServed() async throws {
        try await TestHub.run { client in
            let (status, headers, page) = try await fetch(client, "/console")
            #expect(status == .ok && headers[.contentType] == "text/html; charset=utf-8")
            let policy = headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
            #expect(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
            #expect(page.contains(#"<script type="module" src="/console/app.js">"#))

            // Follow the imports from app.js: every module named is served as JavaScript.
            var pending = ["app.js"]
            var seen: Set<String> = []
            let importPattern = /from "\.\/([a-z0-9_-]+\.js)"/
            while let name = pending.popLast() {
                guard seen.insert(name).inserted else { continue }
                let (moduleStatus, moduleHeaders, source) = try await fetch(client, "/console/\(name)")
                #expect(moduleStatus == .ok, "\(name) is not served")
                #expect(moduleHeaders[.contentType] == "text/javascript; charset=utf-8")
                pending += source.matches(of: importPattern).map { String($0.1) }
            }
            #expect(
                seen.isSuperset(of: ["app.js", "api.js", "stream.js", "i18n.js", "timeline.js", "composer.js", "customer.js", "list.js"]))
            #expect(try await fetch(client, "/console/console.css").0 == .ok)
        }
    }

    @Test func aReloadCostsA304AndAnUnknownFileIsA404() async throws {
        try await TestHub.run { client in
            let (_, headers, _) = try await fetch(client, "/console/app.js")
            let etag = try #require(headers[.eTag])
            let (again, _, body) = try await fetch(client, "/console/app.js", headers: [.ifNoneMatch: etag])
            #expect(again == .notModified && body.isEmpty)
            let (changed, _, _) = try await fetch(client, "/console/app.js", headers: [.ifNoneMatch: "\"other\""])
            #expect(changed == .ok)
            let (missing, _, error) = try await fetch(client, "/console/secrets.js")
            #expect(missing == .notFound && error.contains("unknown_asset"))
        }
    }
}
