import Foundation

/// What a provider answered.
package struct CurlResponse: Sendable {
    package var status: Int
    /// Header lines of the final response (after any `100 Continue` or redirect), in order.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// Connections libcurl opened for this transfer: 0 when it reused a live one.
    package var newConnections: Int

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8], newConnections: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.newConnections = newConnections
    }

    /// The first value of the header `name`, compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether the status is 2xx.
    package var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as UTF-8 text.
    package var text: String { String(decoding: body, as: UTF8.self) }
}
