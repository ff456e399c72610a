/// Folds the ways one text can be typed into one form: full-width letters, digits and
/// punctuation to ASCII, the ideographic space to a space, upper to lower case, and common
/// traditional characters to simplified ones.
package enum TextNormalizer {
    package static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            scalars.append(fold(scalar))
        }
        return String(scalars)
    }

    /// One scalar folded (full width, case, traditional), without the string around it.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0xFF01...0xFF5E:
            return lowercased(Unicode.Scalar(scalar.value - 0xFEE0)!)
        case 0x3000:
            return " "
        case 0x41...0x5A:
            return Unicode.Scalar(scalar.value + 32)!
        case 0x4E00...0x9FFF:
            return TraditionalChinese.simplified(scalar)
        default:
            if scalar.value < 0x80 { return scalar }
            return scalar.properties.isUppercase ? lowercased(scalar) : scalar
        }
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : scalar
    }
}
