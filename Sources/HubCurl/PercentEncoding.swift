import Foundation

/// Percent-encoding for query strings and form bodies sent to providers.
public enum PercentEncoding {
    /// RFC 3986 unreserved characters (ASCII letters, digits, `-._~`) stay; everything
    /// else, `+`, `&`, `=` and non-ASCII included, is escaped.
    public static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
