import Foundation
import HubCore
import Hummingbird

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
