/// What a scalar is, for splitting text into runs.
enum CharacterClass: Equatable {
    case han
    case letter
    case digit
    case emoji
    case other

    init(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: self = .han
        case 0x61...0x7A, 0x41...0x5A: self = .letter
        case 0x30...0x39: self = .digit
        case 0x1F300...0x1FAFF, 0x2600...0x27BF, 0x1F000...0x1F2FF: self = .emoji
        default:
            if scalar.value >= 0xC0, scalar.properties.isAlphabetic {
                self = .letter
            } else {
                self = .other
            }
        }
    }
}
