import Foundation
import HTTPTypes
import HubCore
package import Hummingbird
import NIOCore

/// Encodes every `ResponseEncodable` answer with the API's one encoder (``APIJSON``):
/// snake_case keys chosen by the types, dates in ISO 8601 with milliseconds.
package struct APIResponseEncoder: ResponseEncoder {
    package init() {}

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder.encode(value))))
    }
}

/// A handler's answer with a status other than `200`, or extra headers.
typealias Answer<Body: ResponseEncodable> = EditedResponse<Body>

extension EditedResponse {
    init(_ body: Generator, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.init(status: status, headers: headers, response: body)
    }
}

/// `{"status": …}`, the answer of health checks and of actions with nothing else to say.
struct StatusAnswer: ResponseEncodable {
    var status: String
    /// The inbox entry the action concerns, as a string (as `/hooks` always answered it).
    var inbox: String?
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

    /// The body decoded as JSON `T`; `400 malformed_json` naming `example` when it is not.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, example: String) async throws -> T {
        var request = self
        let body = try await request.collectBytes(limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw HubError.badRequest("malformed_json", "the body must look like \(example)")
        }
    }

    /// A query parameter as it was sent, empty or not; `nil` when absent.
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }

    /// A query parameter that says something: `nil` when absent or empty.
    func filledQuery(_ name: String) -> String? {
        query(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A query parameter as an integer; `400` when present but not a number (empty included).
    func integerQuery(_ name: String) throws(HubError) -> Int64? {
        guard let text = query(name) else { return nil }
        guard let value = Int64(text) else { throw HubError.badRequest("invalid_parameter", "'\(name)' must be an integer") }
        return value
    }

    /// `limit`: `default` when absent, `400` below 1, capped at `maximum`.
    func limit(default value: Int, maximum: Int) throws(HubError) -> Int {
        guard let requested = try integerQuery("limit") else { return value }
        guard requested >= 1 else { throw HubError.badRequest("invalid_parameter", "'limit' must be at least 1") }
        return Int(min(requested, Int64(maximum)))
    }

    /// A query parameter that must be one of `allowed`; `400` naming them otherwise (empty included).
    /// The query value `name` as one of an enum's cases; a value outside them is a `400`.
    func oneOf<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type) throws(HubError) -> Value?
    where Value.RawValue == String {
        try oneOf(name, Value.allCases.map(\.rawValue)).flatMap(Value.init(rawValue:))
    }

    func oneOf(_ name: String, _ allowed: [String]) throws(HubError) -> String? {
        guard let text = query(name) else { return nil }
        guard allowed.contains(text) else {
            throw HubError.badRequest(
                "invalid_parameter", "'\(name)' must be \(allowed.dropLast().joined(separator: ", ")) or \(allowed.last ?? "")")
        }
        return text
    }
}

extension Parameters {
    /// A path id; a malformed id is a `404` for the resource, like an unknown one.
    func id(_ name: String, resource: String) throws(HubError) -> Int64 {
        guard let value = get(name, as: Int64.self) else { throw HubError.notFound("unknown_\(resource)", "no \(resource) with that id") }
        return value
    }

    /// A path segment that routing guarantees.
    func text(_ name: String) throws(HubError) -> String {
        guard let value = get(name) else { throw HubError.notFound("not_found", "no '\(name)' in the path") }
        return value
    }
}
