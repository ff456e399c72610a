import Foundation
import HubCore
import Testing

/// Token buckets, CSV lines and the verifier's head: the pure parts of limits and exports.
@Suite struct OperationsPrimitivesTests {
    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        var bucket = TokenBucket(RateLimit(perSecond: 2, burst: 3), now: 0)
        #expect((0..<3).map { _ in bucket.take(now: 0) } == [nil, nil, nil])
        #expect(bucket.take(now: 0) == 1)
        // Half a second later one token is back; then the wait is counted up to whole seconds.
        #expect(bucket.take(now: 0.5) == nil)
        #expect(bucket.take(now: 0.5) == 1)
        let fullAfterOneSecond = bucket.isFull(now: 1)
        let fullAfterTen = bucket.isFull(now: 10)
        #expect(!fullAfterOneSecond && fullAfterTen)
        var slow = TokenBucket(RateLimit(perSecond: 1.0 / 60, burst: 1), now: 0)
        #expect(slow.take(now: 0) == nil)
        #expect(slow.take(now: 0) == 60)
        #expect(slow.take(now: 30) == 30)
    }

    @Test func ratesAreParsedPerSecondMinuteAndHour() {
        #expect(RateLimit(rateText: "20/s") == RateLimit(perSecond: 20, burst: 20))
        #expect(RateLimit(rateText: "600/m", burst: 50) == RateLimit(perSecond: 10, burst: 50))
        #expect(RateLimit(rateText: "36/h")?.perSecond == 0.01)
        for bad in ["", "fast", "0/s", "-1/s", "10/d", "10"] { #expect(RateLimit(rateText: bad) == nil) }
    }

    @Test func csvQuotesWhatNeedsItAndDisarmsFormulas() {
        #expect(CSVLine.make(["1", nil, "plain"]) == "1,,plain\r\n")
        #expect(CSVLine.make(["a,b", "say \"hi\"", "two\nlines"]) == "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
        #expect(CSVLine.make(["=HYPERLINK(\"x\")", "+1", "-3.5", "@me"]) == "\"'=HYPERLINK(\"\"x\"\")\",+1,-3.5,'@me\r\n")
    }

    @Test func personalDataIsMaskedEnoughToRecogniseNotToContact() {
        #expect(PIIMask.phone("+8613800138000") == "+86138****8000")
        #expect(PIIMask.phone("13800138000") == "138****8000")
        #expect(PIIMask.phone("+1 (415) 555-0100") == "+1 (41*) ***-0100")
        #expect(PIIMask.phone("12345") == "***45")
        #expect(PIIMask.email("li.wei@example.cn") == "l***@example.cn")
        #expect(PIIMask.email("@broken") == "***")
        #expect(PIIMask.address("上海市浦东新区世纪大道100号") == "上海市浦东新***")
        #expect(PIIMask.payment("6222020200112233") == "****2233")
        #expect(PIIMask.Field(attributeName: "Mobile") == .phone && PIIMask.Field(attributeName: "shipping_address") == .address)
        #expect(PIIMask.Field(attributeName: "name") == nil && PIIMask.Field(identityKind: "wechat_openid") == nil)
        let profile = CustomerProfile(
            id: 7, displayName: "Li", createdAt: Date(timeIntervalSince1970: 0),
            identities: [
                IdentityView(
                    kind: "phone", value: "+8613800138000", channelID: "sms", verified: true, normalised: true, customerID: 7,
                    firstSeen: Date(timeIntervalSince1970: 0), lastSeen: Date(timeIntervalSince1970: 0))
            ],
            attributes: [
                AttributeView(
                    name: "email", shown: "li@example.cn",
                    values: [
                        AttributeValue(value: "li@example.cn", source: "crm", customerID: 7, updatedAt: Date(timeIntervalSince1970: 0))
                    ])
            ])
        let masked = profile.masked()
        #expect(masked.identities[0].value == "+86138****8000")
        #expect(masked.attributes[0].shown == "l***@example.cn" && masked.attributes[0].values[0].value == "l***@example.cn")
        #expect(masked.displayName == "Li" && masked.id == 7)
    }
}
