/// Unguessable identifiers for visitors and their tokens.
enum Token {
    /// `bytes` random bytes from the system generator, as URL-safe base64 without padding.
    static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[(buffer >> bits) & 0x3F])
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (6 - bits)) & 0x3F]) }
        return output
    }
}
