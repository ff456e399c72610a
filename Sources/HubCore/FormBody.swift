import Foundation

/// An `application/x-www-form-urlencoded` body, names in order, repeats kept (Twilio
/// signs over every pair).
package struct FormBody: Sendable {
    package var pairs: [(name: String, value: String)]

    package init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses a posted form byte by byte (`+` is a space, `%XX` a byte, each name and value
    /// UTF-8); malformed percent-encoding or text is a `400 malformed_form`. Bridging through
    /// Foundation's string functions here was a third of a signed SMS webhook's CPU.
    package init(parsing body: [UInt8]) throws(HubError) {
        var pairs: [(String, String)] = []
        var start = 0
        while start <= body.count {
            var end = start
            while end < body.count && body[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var equals = start
                while equals < end && body[equals] != UInt8(ascii: "=") { equals += 1 }
                guard let name = Self.decode(body[start..<equals]),
                    let value = Self.decode(equals < end ? body[(equals + 1)..<end] : body[end..<end])
                else {
                    throw HubError.badRequest("malformed_form", "invalid percent-encoding or text in the form body")
                }
                pairs.append((name, value))
            }
            start = end + 1
        }
        self.pairs = pairs
    }

    /// One name or value: `+` and `%XX` decoded, the bytes checked as UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(validating: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The first value of `name`.
    package subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}
