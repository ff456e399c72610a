import HTTPTypes
import HubCore
import Hummingbird
import NIOCore

/// The JSON body of every error response: `{ "error": code, "message": text }`.
struct APIErrorBody: Codable, Sendable {
    var error: String
    var message: String
}

extension HubError {
    /// The HTTP status this error class maps to.
    var httpStatus: HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }
}

/// Turns every error a route throws into a JSON error response with the right status,
/// and logs it with the route but never the request body or credentials.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HubError {
            log(error.code, status: error.httpStatus, context: context, request: request)
            return try JSONResponse.make(APIErrorBody(error: error.code, message: error.message), status: error.httpStatus)
        } catch is NIOTooManyBytesError {
            log("payload_too_large", status: .contentTooLarge, context: context, request: request)
            return try JSONResponse.make(
                APIErrorBody(error: "payload_too_large", message: "the body exceeds server.max_body_bytes"), status: .contentTooLarge)
        } catch let error as any HTTPResponseError {
            let code = Self.code(for: error.status)
            log(code, status: error.status, context: context, request: request)
            return try JSONResponse.make(
                APIErrorBody(error: code, message: error.status.reasonPhrase.isEmpty ? code : error.status.reasonPhrase),
                status: error.status)
        } catch {
            context.logger.error(
                "request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: type(of: error)))])
            return try JSONResponse.make(
                APIErrorBody(error: "internal_error", message: "the request could not be completed"), status: .internalServerError)
        }
    }

    private func log(_ code: String, status: HTTPResponse.Status, context: Context, request: Request) {
        context.logger.info(
            "request rejected",
            metadata: ["path": .string(request.uri.path), "status": .stringConvertible(status.code), "error": .string(code)])
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        default: "http_\(status.code)"
        }
    }
}
