import Foundation
package import HTTPTypes
import HubCore
package import Hummingbird
import NIOCore

/// The JSON body of every error response: `{ "error": code, "message": text }`.
struct APIErrorBody: Codable, Sendable {
    var error: String
    var message: String

    func response(status: HTTPResponse.Status, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder.encode(self))))
    }
}

extension HubError: HTTPResponseError {
    /// The HTTP status this error class maps to.
    package var status: HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    var httpHeaders: HTTPFields {
        HTTPFields(responseHeaders.compactMap { name, value in HTTPField.Name(name).map { HTTPField(name: $0, value: value) } })
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIErrorBody(error: code, message: message).response(status: status, headers: httpHeaders)
    }
}
