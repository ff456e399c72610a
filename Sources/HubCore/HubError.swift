/// An error a caller can act on, with a stable code and the HTTP class it maps to.
public struct HubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure; the server maps each to one HTTP status.
    public enum Kind: Sendable, Hashable {
        case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, conflict, payloadTooLarge, unavailable, internalError
    }

    public var kind: Kind
    /// A stable snake_case code, e.g. `unknown_channel`.
    public var code: String
    /// A human-readable explanation; never contains secrets.
    public var message: String
    /// Headers the answer must carry (`Allow` on a `405`), by name.
    public var responseHeaders: [String: String]

    public init(_ kind: Kind, code: String, message: String, headers: [String: String] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.responseHeaders = headers
    }

    public var description: String { "\(code): \(message)" }

    public static func badRequest(_ code: String, _ message: String) -> HubError {
        HubError(.badRequest, code: code, message: message)
    }

    public static func notFound(_ code: String, _ message: String) -> HubError {
        HubError(.notFound, code: code, message: message)
    }

    public static func unauthorized(_ code: String, _ message: String) -> HubError {
        HubError(.unauthorized, code: code, message: message)
    }

    public static func conflict(_ code: String, _ message: String) -> HubError {
        HubError(.conflict, code: code, message: message)
    }
}
