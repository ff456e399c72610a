import Foundation
import HubCore
import Hummingbird

/// The agent console's files (`Resources/console`: plain ES modules, CSS and one HTML page, no
/// build step), read once at start-up and served from memory under `/console`.
struct ConsoleAssets: Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var contentType: String
        /// A strong validator of the content, so a reload costs a `304` per file.
        var etag: String
    }

    let files: [String: Asset]

    static func load() throws -> ConsoleAssets {
        guard let folder = Bundle.module.url(forResource: "console", withExtension: nil, subdirectory: "Resources") else {
            throw HubError(.internalError, code: "missing_asset", message: "the console's files are missing from the build")
        }
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            guard let type = contentTypes[(name as NSString).pathExtension] else { continue }
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            files[name] = Asset(body: ByteBuffer(bytes: data), contentType: type, etag: "\"\(SHA256Digest.hex(Array(data)).prefix(32))\"")
        }
        guard files["index.html"] != nil else {
            throw HubError(.internalError, code: "missing_asset", message: "console/index.html is missing from the build")
        }
        return ConsoleAssets(files: files)
    }

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
    ]

    /// The page's policy: only the hub's own scripts, styles and connections (the event
    /// stream's WebSocket included), and no framing by another site.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// `GET /console` and `GET /console/{file}`.
    func response(_ name: String, request: Request) throws -> Response {
        guard let asset = files[name] else {
            throw HubError.notFound("unknown_asset", "the console has no file '\(name)'")
        }
        var headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: "no-cache", .eTag: asset.etag, .init("X-Content-Type-Options")!: "nosniff",
        ]
        if name == "index.html" {
            headers[.init("Content-Security-Policy")!] = Self.contentSecurityPolicy
            headers[.init("Referrer-Policy")!] = "same-origin"
        }
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
