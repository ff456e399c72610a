/// Turns the hints a channel gives into comparable keys, reading phone numbers
/// in the manifest's default region.
package struct IdentityNormaliser: Sendable, Hashable {
    package var defaultRegion: String

    package init(defaultRegion: String) {
        self.defaultRegion = defaultRegion
    }

    /// The keys for `hints`, without duplicates, plus a derived name-and-phone-suffix
    /// key when the sender's name and a phone (even a masked one) are known.
    package func keys(for hints: [IdentityHint], senderName: String? = nil) -> [IdentityKey] {
        var keys: [IdentityKey] = []
        var seen: Set<String> = []
        func add(_ key: IdentityKey) {
            let id = key.kind.rawValue + "\u{0}" + key.value
            if seen.insert(id).inserted {
                keys.append(key)
            } else if key.verified, let index = keys.firstIndex(where: { $0.kind == key.kind && $0.value == key.value }) {
                keys[index].verified = true
            }
        }
        for hint in hints {
            guard !hint.value.isEmpty else { continue }
            add(key(for: hint))
        }
        if let name = senderName.map(Self.foldedName), !name.isEmpty,
            let phone = hints.first(where: { $0.kind == .phone }), let suffix = Self.lastDigits(phone.value, count: 4)
        {
            add(IdentityKey(kind: .namePhoneSuffix, value: name + "|" + suffix, verified: false))
        }
        return keys
    }

    package func key(for hint: IdentityHint) -> IdentityKey {
        switch hint.kind {
        case .phone:
            if let e164 = PhoneNumber.e164(hint.value, defaultRegion: defaultRegion) {
                return IdentityKey(kind: .phone, value: e164, verified: hint.verified)
            }
            return IdentityKey(kind: .phone, value: hint.value, verified: hint.verified, comparable: false)
        case .email:
            if let address = EmailAddress.normalised(hint.value) {
                return IdentityKey(kind: .email, value: address, verified: hint.verified)
            }
            return IdentityKey(kind: .email, value: hint.value, verified: hint.verified, comparable: false)
        default:
            return IdentityKey(kind: hint.kind, value: hint.value, verified: hint.verified)
        }
    }

    /// A name lower-cased with its white space collapsed, so `Ann  LEE` and `ann lee` agree.
    static func foldedName(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func lastDigits(_ text: String, count: Int) -> String? {
        var digits: [Character] = []
        for character in text.reversed() {
            if let ascii = character.asciiValue, (48...57).contains(ascii) {
                digits.append(character)
                if digits.count == count { return String(digits.reversed()) }
            } else if character.isWhitespace || character == "-" {
                continue
            } else {
                return nil
            }
        }
        return nil
    }
}
