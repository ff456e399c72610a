import Foundation
import HubCore
import HubStorage
import Hummingbird

/// Health, readiness, the API description and the chat widget's files.
struct SystemController: Sendable {
    let database: HubDatabase
    let assets: StaticAssets
    let chat: ChatChannels
    let overload: OverloadState

    /// `GET /healthz`: the process is up.
    func health(_ request: Request, context: HubRequestContext) -> StatusAnswer {
        StatusAnswer(status: "ok")
    }

    /// `GET /readyz`: the database is open and migrated.
    func ready(_ request: Request, context: HubRequestContext) async -> Answer<Readiness> {
        guard await database.isReady() else { return Answer(Readiness(status: "not_ready"), status: .serviceUnavailable) }
        // Degraded is still ready: the hub acknowledges every hook and only defers work.
        if let reason = await overload.reason { return Answer(Readiness(status: "degraded", reason: reason)) }
        return Answer(Readiness(status: "ready"))
    }

    struct Readiness: ResponseEncodable {
        var status: String
        var reason: String?
    }

    /// `GET /openapi.yaml`.
    func openAPI(_ request: Request, context: HubRequestContext) -> Response {
        assets.response(\.openAPI, contentType: "application/yaml; charset=utf-8")
    }

    /// `GET /widget.js`.
    func widget(_ request: Request, context: HubRequestContext) -> Response {
        assets.response(\.widgetScript, contentType: "text/javascript; charset=utf-8")
    }

    /// `GET /widget/demo?channel=`: a page with the widget on it.
    func demo(_ request: Request, context: HubRequestContext) -> Response {
        let channel = request.filledQuery("channel") ?? chat.first?.channelID ?? "web"
        let title = (try? chat.channel(channel))?.title ?? "Chat with us"
        let page = assets.demoPage.replacingOccurrences(of: "{{channel}}", with: Self.htmlEscaped(channel))
            .replacingOccurrences(of: "{{title}}", with: Self.htmlEscaped(title))
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func htmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
