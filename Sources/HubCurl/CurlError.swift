/// A transfer that did not produce an HTTP response, named as libcurl names it.
package struct CurlError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libcurl's `CURLcode`.
    package var code: Int
    /// The `CURLE_…` name, e.g. `CURLE_COULDNT_CONNECT`.
    package var name: String
    /// libcurl's detail for this transfer (from `CURLOPT_ERRORBUFFER`), or its generic text.
    package var message: String

    package init(code: Int, name: String, message: String) {
        self.code = code
        self.name = name
        self.message = message
    }

    package var description: String { "\(name) (\(code)): \(message)" }

    /// Whether trying the same request again may succeed: connection trouble and
    /// timeouts yes, a malformed URL or an oversized response no.
    package var isTransient: Bool {
        switch name {
        case "CURLE_COULDNT_RESOLVE_HOST", "CURLE_COULDNT_CONNECT", "CURLE_OPERATION_TIMEDOUT", "CURLE_GOT_NOTHING",
            "CURLE_SEND_ERROR", "CURLE_RECV_ERROR", "CURLE_PARTIAL_FILE", "CURLE_SSL_CONNECT_ERROR":
            true
        default:
            false
        }
    }

    static func name(of code: Int) -> String {
        switch code {
        case 1: "CURLE_UNSUPPORTED_PROTOCOL"
        case 2: "CURLE_FAILED_INIT"
        case 3: "CURLE_URL_MALFORMAT"
        case 5: "CURLE_COULDNT_RESOLVE_PROXY"
        case 6: "CURLE_COULDNT_RESOLVE_HOST"
        case 7: "CURLE_COULDNT_CONNECT"
        case 8: "CURLE_WEIRD_SERVER_REPLY"
        case 9: "CURLE_REMOTE_ACCESS_DENIED"
        case 18: "CURLE_PARTIAL_FILE"
        case 23: "CURLE_WRITE_ERROR"
        case 26: "CURLE_READ_ERROR"
        case 27: "CURLE_OUT_OF_MEMORY"
        case 28: "CURLE_OPERATION_TIMEDOUT"
        case 35: "CURLE_SSL_CONNECT_ERROR"
        case 42: "CURLE_ABORTED_BY_CALLBACK"
        case 47: "CURLE_TOO_MANY_REDIRECTS"
        case 52: "CURLE_GOT_NOTHING"
        case 55: "CURLE_SEND_ERROR"
        case 56: "CURLE_RECV_ERROR"
        case 60: "CURLE_PEER_FAILED_VERIFICATION"
        case 67: "CURLE_LOGIN_DENIED"
        case 78: "CURLE_REMOTE_FILE_NOT_FOUND"
        default: "CURLE_\(code)"
        }
    }
}
