/// An error a caller can act on, with a stable code and the HTTP class it maps to.
package struct HubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure; the server maps each to one HTTP status.
    package enum Kind: Sendable, Hashable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, conflict, payloadTooLarge, tooManyRequests, unavailable,
            internalError
    }

    package var kind: Kind
    /// A stable snake_case code, e.g. `unknown_channel`.
    package var code: String
    /// A human-readable explanation; never contains secrets.
    package var message: String
    /// Headers the answer must carry (`Allow` on a `405`), by name.
    package var responseHeaders: [String: String]

    package init(_ kind: Kind, code: String, message: String, headers: [String: String] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.responseHeaders = headers
    }

    package var description: String { "\(code): \(message)" }

    package static func badRequest(_ code: String, _ message: String) -> HubError {
        HubError(.badRequest, code: code, message: message)
    }

    package static func notFound(_ code: String, _ message: String) -> HubError {
        HubError(.notFound, code: code, message: message)
    }

    package static func unauthorized(_ code: String, _ message: String) -> HubError {
        HubError(.unauthorized, code: code, message: message)
    }

    package static func forbidden(_ code: String, _ message: String) -> HubError {
        HubError(.forbidden, code: code, message: message)
    }

    package static func conflict(_ code: String, _ message: String) -> HubError {
        HubError(.conflict, code: code, message: message)
    }
}
