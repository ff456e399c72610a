import Crypto
import Foundation
import HubCore

/// `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, over the URL
/// Twilio called followed by every posted parameter (`name` + `value`, names sorted,
/// values of a repeated name sorted).
enum TwilioSignature {
    static func compute(url: String, form: FormBody, authToken: String) -> String {
        var content = url
        let names = Set(form.pairs.map(\.name)).sorted()
        for name in names {
            for value in form.pairs.filter({ $0.name == name }).map(\.value).sorted() {
                content += name + value
            }
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(content.utf8), using: SymmetricKey(data: Array(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Twilio sometimes signs with the default port written out and sometimes without,
    /// so both spellings are accepted, as its SDK does.
    static func isValid(signature: String, url: String, form: FormBody, authToken: String) -> Bool {
        urlVariants(url).contains { ConstantTime.equals(compute(url: $0, form: form, authToken: authToken), signature) }
    }

    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return [url] }
        let defaultPort = scheme == "https" ? 443 : 80
        if components.port == defaultPort {
            components.port = nil
        } else if components.port == nil {
            components.port = defaultPort
        } else {
            return [url]
        }
        return [url, components.string ?? url]
    }
}
