import HubCore
import Testing

@Suite struct NormalisationTests {
    struct PhoneCase: CustomTestStringConvertible, Sendable {
        var typed: String
        var region: String
        var expected: String?
        var testDescription: String { "\(typed) in \(region)" }
    }

    static let phones: [PhoneCase] = [
        // China
        .init(typed: "+86 138-0013-8000", region: "CN", expected: "+8613800138000"),
        .init(typed: "13800138000", region: "CN", expected: "+8613800138000"),
        .init(typed: "138 0013 8000", region: "CN", expected: "+8613800138000"),
        .init(typed: "0086 138 0013 8000", region: "CN", expected: "+8613800138000"),
        .init(typed: "008613800138000", region: "US", expected: "+8613800138000"),
        .init(typed: "１３８００１３８０００", region: "CN", expected: "+8613800138000"),
        .init(typed: "＋８６ １３８ ００１３ ８０００", region: "US", expected: "+8613800138000"),
        .init(typed: "(+86) 13800138000", region: "GB", expected: "+8613800138000"),
        .init(typed: "+86 (0)10 6552 9988", region: "US", expected: "+861065529988"),
        .init(typed: "010-65529988", region: "CN", expected: "+861065529988"),
        .init(typed: "0755-8888 6666", region: "CN", expected: "+8675588886666"),
        .init(typed: "021 6888 1234", region: "CN", expected: "+862168881234"),
        .init(typed: "138****8000", region: "CN", expected: nil),
        .init(typed: "1380013800", region: "CN", expected: nil),
        .init(typed: "12800138000", region: "CN", expected: nil),
        .init(typed: "65529988", region: "CN", expected: nil),
        // United States
        .init(typed: "(415) 555-0100", region: "US", expected: "+14155550100"),
        .init(typed: "415.555.0100", region: "US", expected: "+14155550100"),
        .init(typed: "1-415-555-0100", region: "US", expected: "+14155550100"),
        .init(typed: "+1 (415) 555-0100", region: "CN", expected: "+14155550100"),
        .init(typed: "011 86 138 0013 8000", region: "US", expected: "+8613800138000"),
        .init(typed: "tel:+14155550100", region: "GB", expected: "+14155550100"),
        .init(typed: "415 555 0100 ext 12", region: "US", expected: nil),
        .init(typed: "1-800-FLOWERS", region: "US", expected: nil),
        .init(typed: "(015) 555-0100", region: "US", expected: nil),
        .init(typed: "555-0100", region: "US", expected: nil),
        .init(typed: "415 555 0100", region: "CN", expected: nil),
        // Great Britain
        .init(typed: "07700 900123", region: "GB", expected: "+447700900123"),
        .init(typed: "+44 7700 900123", region: "US", expected: "+447700900123"),
        .init(typed: "+44 (0)20 7946 0018", region: "CN", expected: "+442079460018"),
        .init(typed: "020 7946 0018", region: "GB", expected: "+442079460018"),
        .init(typed: "0044 20 7946 0018", region: "US", expected: "+442079460018"),
        .init(typed: "+44 20 7946 001", region: "GB", expected: nil),
        // Elsewhere and nonsense
        .init(typed: "+852 6123 4567", region: "CN", expected: "+85261234567"),
        .init(typed: "+49 30 901820", region: "US", expected: "+4930901820"),
        .init(typed: "", region: "CN", expected: nil),
        .init(typed: "+", region: "CN", expected: nil),
        .init(typed: "86+13800138000", region: "CN", expected: nil),
        .init(typed: "13800138000", region: "ZZ", expected: nil),
    ]

    @Test(arguments: phones) func phoneNumbers(_ phone: PhoneCase) {
        #expect(PhoneNumber.e164(phone.typed, defaultRegion: phone.region) == phone.expected)
    }

    static let emails: [(String, String?)] = [
        ("  Li.Lei+shop@Example.COM ", "li.lei+shop@example.com"),
        ("ANN@EXAMPLE.COM", "ann@example.com"),
        ("Ann Lee <ann@example.com>", "ann@example.com"),
        ("mailto:ann@example.com", "ann@example.com"),
        ("ann＠example.com", "ann@example.com"),
        ("ann@example.com.", "ann@example.com"),
        ("\u{3000}ann@example.cn\u{3000}", "ann@example.cn"),
        ("王芳@例子.中国", "王芳@例子.中国"),
        ("ann+a@example.com", "ann+a@example.com"),
        ("ann@localhost", nil),
        ("ann.example.com", nil),
        ("ann@@example.com", nil),
        ("a b@example.com", nil),
        ("@example.com", nil),
        ("ann@example..com", nil),
        (".ann@example.com", nil),
    ]

    @Test func emailAddresses() {
        for (typed, expected) in Self.emails {
            #expect(EmailAddress.normalised(typed) == expected, "\(typed)")
        }
        #expect(Self.emails.count + Self.phones.count >= 30)
    }

    @Test func normaliserKeepsWhatItCannotReadAsNonComparable() {
        let normaliser = IdentityNormaliser(defaultRegion: "CN")
        let keys = normaliser.keys(
            for: [
                IdentityHint(kind: .phone, value: "138****8000", verified: true),
                IdentityHint(kind: .email, value: "not an email", verified: false),
                IdentityHint(kind: .phone, value: "+86 138 0013 8000", verified: false),
                IdentityHint(kind: .phone, value: "13800138000", verified: true),
                IdentityHint(kind: .wechatOpenID, value: "wxapp:oAbC", verified: true),
            ], senderName: "  Wang   FANG ")
        #expect(
            keys == [
                IdentityKey(kind: .phone, value: "138****8000", verified: true, comparable: false),
                IdentityKey(kind: .email, value: "not an email", verified: false, comparable: false),
                IdentityKey(kind: .phone, value: "+8613800138000", verified: true),
                // WeChat openids are case-sensitive: kept exactly.
                IdentityKey(kind: .wechatOpenID, value: "wxapp:oAbC", verified: true),
                IdentityKey(kind: .namePhoneSuffix, value: "wang fang|8000", verified: false),
            ])
    }
}
