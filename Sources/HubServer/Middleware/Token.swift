/// Unguessable identifiers for visitors and their tokens.
enum Token {
    /// `bytes` random bytes from the system generator, as URL-safe base64 without padding.
    static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return packBits(bytes, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), width: 6)
    }
}

/// `bytes` written `width` bits a character from `alphabet` (base64: 6, base32: 5), the last
/// character padded with zero bits, without `=` padding.
func packBits(_ bytes: [UInt8], alphabet: [Character], width: Int) -> String {
    let mask = (1 << width) - 1
    var output = ""
    var buffer = 0
    var bits = 0
    for byte in bytes {
        buffer = ((buffer << 8) | Int(byte)) & 0xFFFF
        bits += 8
        while bits >= width {
            bits -= width
            output.append(alphabet[(buffer >> bits) & mask])
        }
    }
    if bits > 0 { output.append(alphabet[(buffer << (width - bits)) & mask]) }
    return output
}
