import Foundation

/// Percent-encoding for query strings and form bodies sent to providers.
package enum PercentEncoding {
    /// RFC 3986 unreserved characters (ASCII letters, digits, `-._~`) stay; everything
    /// else, `+`, `&`, `=` and non-ASCII included, is escaped.
    package static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `name=value&…` for an `application/x-www-form-urlencoded` request body.
    package static func form(_ pairs: [(name: String, value: String)]) -> [UInt8] {
        Array(pairs.map { "\(component($0.name))=\(component($0.value))" }.joined(separator: "&").utf8)
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
