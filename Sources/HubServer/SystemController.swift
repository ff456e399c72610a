import Foundation
import HubCore
import Hummingbird

/// Health, readiness, the API description and the chat widget's files.
struct SystemController {
    let hub: Hub
    let assets: StaticAssets

    func register(on router: Router<HubRequestContext>) {
        router.get("healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("readyz") { _, _ in
            let ready = await hub.database.isReady()
            return try JSONResponse.make(["status": ready ? "ready" : "not_ready"], status: ready ? .ok : .serviceUnavailable)
        }
        router.get("openapi.yaml") { _, _ in assets.response(\.openAPI, contentType: "application/yaml; charset=utf-8") }
        router.get("widget.js") { _, _ in assets.response(\.widgetScript, contentType: "text/javascript; charset=utf-8") }
        router.get("widget/demo") { request, _ in
            let channel = request.uri.queryParameters["channel"].map(String.init) ?? defaultChatChannel ?? "web"
            let title = (try? ChatIngest(hub: hub).channel(channel))?.title ?? "Chat with us"
            let page = assets.demoPage.replacingOccurrences(of: "{{channel}}", with: Self.htmlEscaped(channel))
                .replacingOccurrences(of: "{{title}}", with: Self.htmlEscaped(title))
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
    }

    private var defaultChatChannel: String? {
        hub.manifest.channels.first { $0.kind == "webchat" }?.id
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Files shipped with the server, read once at start-up.
struct StaticAssets: Sendable {
    let openAPI: String
    let widgetScript: String
    let demoPage: String

    static func load() throws -> StaticAssets {
        func read(_ name: String, _ ext: String) throws -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
                throw HubError(.internalError, code: "missing_asset", message: "\(name).\(ext) is missing from the build")
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
        return StaticAssets(
            openAPI: try read("openapi", "yaml"), widgetScript: try read("widget", "js"), demoPage: try read("demo", "html"))
    }

    func response(_ file: KeyPath<StaticAssets, String>, contentType: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: self[keyPath: file])))
    }
}
