import Foundation
import HTTPTypes
import HubCore
import Hummingbird
import NIOCore

/// JSON encoding shared by every API response: snake_case keys chosen by the
/// types, dates in ISO 8601 with milliseconds.
enum JSONResponse {
    static var encoder: JSONEncoder { APIJSON.encoder }

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension Request {
    /// The body, refusing more than `limit` bytes with `413` before reading them all.
    mutating func collectBytes(limit: Int) async throws -> [UInt8] {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw HubError(.payloadTooLarge, code: "payload_too_large", message: "the body exceeds server.max_body_bytes (\(limit) bytes)")
        }
        do {
            let buffer = try await collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw HubError(.payloadTooLarge, code: "payload_too_large", message: "the body exceeds server.max_body_bytes (\(limit) bytes)")
        }
    }

    /// A query parameter as an integer; `400` when present but not a number.
    func integerQuery(_ name: String) throws -> Int64? {
        guard let text = uri.queryParameters[name[...]].map(String.init), !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw HubError.badRequest("invalid_parameter", "'\(name)' must be an integer") }
        return value
    }
}

extension Parameters {
    /// A path id; a malformed id is a `404` for the resource, like an unknown one.
    func id(_ name: String, resource: String) throws -> Int64 {
        guard let value = get(name, as: Int64.self) else { throw HubError.notFound("unknown_\(resource)", "no \(resource) with that id") }
        return value
    }
}
