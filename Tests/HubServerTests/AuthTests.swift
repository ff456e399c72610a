import Foundation
import HubServer
import Testing

/// Passwords and one-time codes: RFC 6238's own test vectors, the base32 form authenticator
/// apps read, and the password policy.
@Suite struct AuthTests {
    @Test(arguments: [
        (59.0, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ])
    func totpMatchesRFC6238(time: Double, sha1: String, sha256: String, sha512: String) {
        let date = Date(timeIntervalSince1970: time)
        #expect(TOTP(secret: Array("12345678901234567890".utf8), digits: 8).code(at: date) == sha1)
        #expect(TOTP(secret: Array("12345678901234567890123456789012".utf8), digits: 8).code(at: date, hash: .sha256) == sha256)
        #expect(
            TOTP(secret: Array("1234567890123456789012345678901234567890123456789012345678901234".utf8), digits: 8)
                .code(at: date, hash: .sha512) == sha512)
    }

    @Test func totpAcceptsOneStepOfDriftAndNothingElse() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        #expect(totp.verify(totp.code(at: now), at: now))
        #expect(totp.verify(totp.code(at: now.addingTimeInterval(-30)), at: now))
        #expect(!totp.verify(totp.code(at: now.addingTimeInterval(-90)), at: now))
        #expect(!totp.verify("12345", at: now))
        #expect(!totp.verify("abcdef", at: now))
    }

    @Test func base32RoundTripsAndReadsWhatAppsWrite() {
        let secret = Array("12345678901234567890".utf8)
        #expect(Base32.encode(secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == secret)
        #expect(Base32.decode("not base32!") == nil)
    }

    @Test func passwordsAreSaltedSlowHashesThatVerify() async throws {
        let hasher = PasswordHasher(rounds: 1000)
        let first = try await hasher.hash("correct horse battery")
        let second = try await hasher.hash("correct horse battery")
        #expect(first != second, "each hash has its own salt")
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(await hasher.verify("correct horse battery", against: first))
        #expect(!(await hasher.verify("correct horse batterz", against: first)))
        #expect(!(await hasher.verify("anything", against: "garbage")))
        #expect(PasswordHasher.defaultRounds >= 600_000)
    }

    @Test func weakPasswordsAreRefusedWithAReason() {
        #expect(PasswordPolicy.weakness("short") == "use at least 10 characters")
        #expect(PasswordPolicy.weakness("password123") != nil)
        #expect(PasswordPolicy.weakness("aaaaaaaaaaaa") != nil)
        #expect(PasswordPolicy.weakness("lilei-is-great-2026", email: "lilei@example.cn") != nil)
        #expect(PasswordPolicy.weakness("long enough secret 42", email: "li@example.cn") == nil)
    }
}
