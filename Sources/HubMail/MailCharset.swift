import Foundation
import HubCore

/// Decodes text in the charsets mail arrives in. Foundation on Linux has no IANA
/// lookup for the Chinese charsets, so the labels map to CoreFoundation encodings here;
/// GB2312 and GBK labels decode as GB18030 (their superset), because mislabelled GBK
/// is common.
package enum MailCharset {
    package static func decode(_ bytes: some Collection<UInt8>, charset label: String?) -> String? {
        let data = Data(bytes)
        guard let encoding = encoding(for: label ?? "us-ascii") else { return nil }
        if let text = String(data: data, encoding: encoding) { return text }
        return nil
    }

    /// Decodes, falling back to UTF-8 and then Latin-1 so that text is never lost;
    /// `exact` is false when the fallback was used.
    package static func decodeLeniently(_ bytes: some Collection<UInt8>, charset label: String?) -> (text: String, exact: Bool) {
        if let text = decode(bytes, charset: label) { return (text, true) }
        let data = Data(bytes)
        if let text = String(data: data, encoding: .utf8) { return (text, false) }
        return (String(decoding: data, as: Unicode.ASCII.self), false)
    }

    static func encoding(for label: String) -> String.Encoding? {
        let name = label.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'"))).lowercased()
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "": return .utf8
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "csgb2312", "hz-gb-2312":
            return String.Encoding(rawValue: 0x8000_0632)
        case "big5", "big5-hkscs", "x-big5", "cn-big5", "csbig5": return String.Encoding(rawValue: 0x8000_0A03)
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j": return .shiftJIS
        case "euc-jp": return String.Encoding(rawValue: 0x8000_0920)
        case "iso-2022-jp": return .iso2022JP
        case "koi8-r": return String.Encoding(rawValue: 0x8000_0A02)
        case "windows-1250", "cp1250": return .windowsCP1250
        case "windows-1251", "cp1251": return .windowsCP1251
        case "windows-1252", "cp1252": return .windowsCP1252
        case "windows-1253", "cp1253": return .windowsCP1253
        case "windows-1254", "cp1254": return .windowsCP1254
        case "utf-16": return .utf16
        case "latin1", "l1", "iso_8859-1": return .isoLatin1
        default:
            // iso-8859-N maps to CoreFoundation's 0x0200 + N.
            if name.hasPrefix("iso-8859-") || name.hasPrefix("iso8859-") || name.hasPrefix("iso_8859-") {
                let digits = name.split(separator: "-").last.flatMap { Int($0) }
                guard let number = digits, (1...16).contains(number) else { return nil }
                return number == 1 ? .isoLatin1 : String.Encoding(rawValue: 0x8000_0200 + UInt(number))
            }
            return nil
        }
    }
}
