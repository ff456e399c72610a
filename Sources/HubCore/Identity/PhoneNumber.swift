/// Phone numbers in E.164 (`+` then country code and national number), from the
/// forms people type: spaces, dashes, dots and brackets, a `(0)` trunk prefix after
/// the country code, `00` or `011` international prefixes, full-width digits, and
/// national numbers read in a default region.
///
/// Only regions whose numbering plans are known closely (CN, US/CA, GB) get strict
/// length checks; elsewhere the number must have a plausible E.164 length.
package enum PhoneNumber {
    /// The E.164 form of `text`, or `nil` when it cannot be read as one number
    /// (letters, an extension, a masked number such as `138****8000`, a wrong length).
    package static func e164(_ text: String, defaultRegion: String) -> String? {
        guard let cleaned = clean(text) else { return nil }
        var digits = cleaned.digits
        let international: Bool
        if cleaned.hasPlus {
            international = true
        } else if digits.hasPrefix("00") {
            digits.removeFirst(2)
            international = true
        } else if let code = callingCode(region: defaultRegion), code == "1", digits.hasPrefix("011") {
            digits.removeFirst(3)
            international = true
        } else {
            international = false
        }
        if international {
            guard let code = splitCallingCode(digits) else { return nil }
            var national = String(digits.dropFirst(code.count))
            // "+44 (0)20 …" and "+86 010 …": a trunk zero written after the country code.
            if national.hasPrefix("0"), code != "39" { national.removeFirst() }
            return validated(code: code, national: national)
        }
        guard let code = callingCode(region: defaultRegion) else { return nil }
        var national = digits
        if code == "1" {
            if national.count == 11, national.hasPrefix("1") { national.removeFirst() }
        } else if national.hasPrefix("0"), code != "39" {
            national.removeFirst()
        } else if code == "86", !national.hasPrefix("1") {
            // A Chinese landline without its trunk zero is ambiguous (area code or not).
            return nil
        }
        return validated(code: code, national: national)
    }

    private struct Cleaned {
        var hasPlus: Bool
        var digits: String
    }

    /// Keeps digits and a leading plus; refuses anything that is not punctuation people use in numbers.
    private static func clean(_ text: String) -> Cleaned? {
        var input = text.trimmingWhitespace()
        if input.lowercased().hasPrefix("tel:") { input.removeFirst(4) }
        var digits = ""
        var hasPlus = false
        var sawContent = false
        for scalar in input.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39:
                digits.unicodeScalars.append(scalar)
                sawContent = true
            case 0xFF10...0xFF19:  // full-width digits
                digits.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
                sawContent = true
            case 0x2B, 0xFF0B:  // + and full-width ＋
                guard !sawContent, !hasPlus else { return nil }
                hasPlus = true
            case 0x20, 0xA0, 0x3000, 0x2D, 0x2E, 0x2F, 0x28, 0x29, 0xFF08, 0xFF09, 0xFF0D, 0x2010...0x2015, 0x2212, 0x30FC:
                continue  // separators: spaces, - . / ( ) and their full-width and typographic forms
            default:
                return nil
            }
        }
        guard digits.count >= 4 else { return nil }
        return Cleaned(hasPlus: hasPlus, digits: digits)
    }

    private static func validated(code: String, national: String) -> String? {
        guard !national.hasPrefix("0") || code == "39" else { return nil }
        let length = national.count
        switch code {
        case "1":
            // NANP: area code and exchange both start with 2–9.
            let scalars = Array(national.utf8)
            guard length == 10, scalars[0] >= UInt8(ascii: "2"), scalars[3] >= UInt8(ascii: "2") else { return nil }
        case "86":
            if national.hasPrefix("1") {
                // Mobiles are 1[3-9] and 11 digits; Beijing landlines (10) are 10 digits.
                let second = national.dropFirst().first ?? "0"
                let mobile = length == 11 && ("3"..."9").contains(second)
                let beijing = length == 10 && second == "0"
                guard mobile || beijing else { return nil }
            } else {
                guard (9...11).contains(length) else { return nil }
            }
        case "44":
            // Ten digits, except some small-town numbers (01…) with nine.
            guard length == 10 || (length == 9 && national.hasPrefix("1")) else { return nil }
        default:
            guard (4...14).contains(length), code.count + length <= 15 else { return nil }
        }
        return "+" + code + national
    }

    /// The country calling code at the start of international digits.
    private static func splitCallingCode(_ digits: String) -> String? {
        for length in 1...3 where digits.count > length {
            let candidate = String(digits.prefix(length))
            if length == 1, candidate == "1" || candidate == "7" { return candidate }
            if length == 2, twoDigitCodes.contains(candidate) { return candidate }
            if length == 3,
                !candidate.hasPrefix("0") && !twoDigitCodes.contains(String(candidate.prefix(2))) && candidate.first != "1"
                    && candidate.first != "7"
            {
                return candidate
            }
        }
        return nil
    }

    /// The two-digit country calling codes; every other code beginning 2–9 has three digits.
    private static let twoDigitCodes: Set<String> = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ]

    /// The calling code of an ISO region the hub can read national numbers in.
    package static func callingCode(region: String) -> String? {
        regionCodes[region.uppercased()]
    }

    /// The regions whose national numbers the hub can read, sorted.
    package static var knownRegions: [String] { regionCodes.keys.sorted() }

    private static let regionCodes: [String: String] = [
        "US": "1", "CA": "1", "PR": "1", "GB": "44", "CN": "86", "HK": "852", "MO": "853", "TW": "886", "SG": "65",
        "MY": "60", "JP": "81", "KR": "82", "IN": "91", "AU": "61", "NZ": "64", "DE": "49", "FR": "33", "ES": "34",
        "IT": "39", "NL": "31", "BE": "32", "CH": "41", "AT": "43", "SE": "46", "NO": "47", "DK": "45", "PL": "48",
        "IE": "353", "PT": "351", "BR": "55", "MX": "52", "AR": "54", "ZA": "27", "AE": "971", "SA": "966", "TR": "90",
        "RU": "7", "TH": "66", "VN": "84", "ID": "62", "PH": "63",
    ]
}
