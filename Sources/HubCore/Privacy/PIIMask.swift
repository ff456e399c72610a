/// How personal data shows to callers without `pii.reveal`: enough to tell two values apart and
/// recognise one the customer reads out, not enough to contact them.
package enum PIIMask {
    /// `+8613800138000` → `+86138****8000`: the four digits before the last four are hidden.
    package static func phone(_ value: String) -> String {
        var characters = Array(value)
        let digitIndices = characters.indices.filter { characters[$0].isNumber }
        guard digitIndices.count >= 8 else {
            return String(repeating: "*", count: max(0, digitIndices.count - 2))
                + digitIndices.suffix(2).map { String(characters[$0]) }.joined()
        }
        for index in digitIndices[(digitIndices.count - 8)..<(digitIndices.count - 4)] { characters[index] = "*" }
        return String(characters)
    }

    /// `li.wei@example.cn` → `l***@example.cn`.
    package static func email(_ value: String) -> String {
        guard let at = value.firstIndex(of: "@"), at != value.startIndex else { return "***" }
        return String(value[value.startIndex]) + "***" + value[at...]
    }

    /// A postal address keeps its first six characters (a city, a district): `上海市浦东新区***`.
    package static func address(_ value: String) -> String {
        value.count <= 6 ? "***" : String(value.prefix(6)) + "***"
    }

    /// A card, account or payment reference keeps its last four characters.
    package static func payment(_ value: String) -> String {
        value.count <= 4 ? "****" : "****" + value.suffix(4)
    }

    /// The kind of personal data an identity kind or attribute name holds, if any.
    package enum Field: String, Sendable, CaseIterable {
        case phone, email, address, payment

        package init?(identityKind kind: String) {
            switch kind {
            case IdentityKind.phone.rawValue: self = .phone
            case IdentityKind.email.rawValue: self = .email
            default: return nil
            }
        }

        package init?(attributeName name: String) {
            let lowered = name.lowercased()
            if lowered.contains("phone") || lowered.contains("mobile") {
                self = .phone
            } else if lowered.contains("email") || lowered.contains("mail") {
                self = .email
            } else if lowered.contains("address") {
                self = .address
            } else if lowered.contains("payment") || lowered.contains("card") || lowered.contains("iban") || lowered.contains("account") {
                self = .payment
            } else {
                return nil
            }
        }

        package func mask(_ value: String) -> String {
            switch self {
            case .phone: PIIMask.phone(value)
            case .email: PIIMask.email(value)
            case .address: PIIMask.address(value)
            case .payment: PIIMask.payment(value)
            }
        }
    }
}

extension CustomerProfile {
    /// The profile as a caller without `pii.reveal` sees it: phones, e-mails, addresses and payment
    /// references masked in identities and attributes (a phone's identity value keeps its scope).
    package func masked() -> CustomerProfile {
        var profile = self
        profile.identities = identities.map { identity in
            guard let field = PIIMask.Field(identityKind: identity.kind) else { return identity }
            var masked = identity
            masked.value = field.mask(identity.value)
            return masked
        }
        profile.attributes = attributes.map { attribute in
            guard let field = PIIMask.Field(attributeName: attribute.name) else { return attribute }
            var masked = attribute
            masked.shown = field.mask(attribute.shown)
            masked.values = attribute.values.map { value in
                var copy = value
                copy.value = field.mask(value.value)
                return copy
            }
            return masked
        }
        return profile
    }
}
