/// How many SMS segments a text takes: GSM-7 when every character is in the GSM 03.38
/// alphabet (160 characters alone, 153 per segment when concatenated, extension characters
/// counting twice), else UCS-2 (70 alone, 67 per segment, in UTF-16 units).
package enum SMSSegments {
    static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    /// Whether `text` goes as GSM-7.
    package static func isGSM(_ text: String) -> Bool {
        text.allSatisfy { basic.contains($0) || extended.contains($0) }
    }

    /// The number of segments `text` is sent as (at least 1).
    package static func count(_ text: String) -> Int {
        if isGSM(text) {
            let units = text.reduce(0) { $0 + (extended.contains($1) ? 2 : 1) }
            return units <= 160 ? 1 : (units + 152) / 153
        }
        let units = text.utf16.count
        return units <= 70 ? 1 : (units + 66) / 67
    }
}
