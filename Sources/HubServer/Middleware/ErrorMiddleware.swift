import HTTPTypes
import HubCore
import Hummingbird
import Logging
import NIOCore

/// Logs every failed request with its route (never its body or credentials) and hides
/// errors nobody meant to show as `500`. Errors that are answers render themselves
/// (``HubError`` as `{ "error", "message" }`); Hummingbird's own (`404`, `405`, `413` from the
/// transport) are given the same shape.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HubError {
            log(error.code, status: error.status, context: context, request: request)
            throw error
        } catch is NIOTooManyBytesError {
            let error = HubError(.payloadTooLarge, code: "payload_too_large", message: "the body exceeds server.max_body_bytes")
            log(error.code, status: error.status, context: context, request: request)
            throw error
        } catch let error as any HTTPResponseError {
            let code = Self.code(for: error.status)
            log(code, status: error.status, context: context, request: request)
            return try APIErrorBody(error: code, message: error.status.reasonPhrase.isEmpty ? code : error.status.reasonPhrase)
                .response(status: error.status, headers: (error as? HTTPError)?.headers ?? [:])
        } catch {
            context.logger.error(
                "request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: type(of: error)))])
            throw HubError(.internalError, code: "internal_error", message: "the request could not be completed")
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
