import Foundation
import HubCore

/// Quoted-printable (RFC 2045 §6.7), forgiving about what real mailers send.
package enum QuotedPrintable {
    package static func decode(_ input: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                // Soft line break: "=" then CRLF or LF (trailing spaces allowed before it).
                var lookahead = index + 1
                while lookahead < input.count && (input[lookahead] == 0x20 || input[lookahead] == 0x09) { lookahead += 1 }
                if lookahead < input.count && input[lookahead] == 0x0D && lookahead + 1 < input.count && input[lookahead + 1] == 0x0A {
                    index = lookahead + 2
                    continue
                }
                if lookahead < input.count && input[lookahead] == 0x0A {
                    index = lookahead + 1
                    continue
                }
                if lookahead >= input.count {
                    index = lookahead
                    continue
                }
                if index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                output.append(byte)  // a stray "=" is kept as it is
            } else if underscoreIsSpace && byte == UInt8(ascii: "_") {
                output.append(0x20)
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

/// Base64 as mail carries it: line breaks and stray whitespace ignored, missing padding added.
package enum Base64Lenient {
    package static func decode(_ text: String) -> [UInt8]? {
        var cleaned = text.filter { !$0.isWhitespace }
        let remainder = cleaned.count % 4
        if remainder == 2 { cleaned += "==" } else if remainder == 3 { cleaned += "=" }
        return Data(base64Encoded: cleaned).map(Array.init)
    }

    /// Base64 in lines of 76 characters, CRLF-separated, for message bodies.
    package static func encodeLines(_ bytes: [UInt8]) -> String {
        let text = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.index(start, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(text[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }
}
