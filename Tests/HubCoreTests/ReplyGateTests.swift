import Foundation
import HubCore
import Testing

/// WeChat's window rule as the gate applies it: 5 replies within 48 h of a message,
/// 3 within a minute of a menu click or follow.
@Suite struct ReplyGateTests {
    let wechat = ChannelCapabilities(
        partKinds: [.text],
        replyWindow: ReplyWindow(
            afterMessage: ReplyAllowance(duration: .seconds(48 * 3600), quota: 5),
            afterActivity: ReplyAllowance(duration: .seconds(60), quota: 3)),
        honoursOptOut: true)
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func check(_ state: ContactState?) -> Result<ReplyGrant, HubError> {
        ReplyGate.check(state, capabilities: wechat, channelID: "wx", now: now)
    }

    @Test func messageWindowAllowsFiveRepliesFor48Hours() {
        #expect(check(ContactState(lastMessageAt: now.addingTimeInterval(-47 * 3600), repliesSinceMessage: 4)) == .success(.messageWindow))
        guard case .failure(let used) = check(ContactState(lastMessageAt: now.addingTimeInterval(-3600), repliesSinceMessage: 5)) else {
            Issue.record("a sixth reply passed")
            return
        }
        #expect(used.code == "reply_quota_exhausted")
        guard case .failure(let late) = check(ContactState(lastMessageAt: now.addingTimeInterval(-49 * 3600))) else {
            Issue.record("a reply after 49 hours passed")
            return
        }
        #expect(late.code == "outside_reply_window")
        #expect(late.message.contains("48 hours"))
        guard case .failure(let never) = check(nil) else {
            Issue.record("a reply to someone who never wrote passed")
            return
        }
        #expect(never.code == "outside_reply_window")
    }

    @Test func aMenuClickOpensThreeRepliesForAMinute() {
        let clicked = ContactState(lastMessageAt: now.addingTimeInterval(-72 * 3600), lastActivityAt: now.addingTimeInterval(-30))
        #expect(check(clicked) == .success(.activityWindow))
        var used = clicked
        used.repliesSinceActivity = 3
        #expect(throws: HubError.self) { try check(used).get() }
        var stale = clicked
        stale.lastActivityAt = now.addingTimeInterval(-61)
        #expect(throws: HubError.self) { try check(stale).get() }
    }

    @Test func optedOutAndUnrestrictedChannels() {
        guard case .failure(let out) = check(ContactState(lastMessageAt: now, optedOut: true)) else {
            Issue.record("an opted-out customer was allowed")
            return
        }
        #expect(out.code == "recipient_opted_out")
        #expect(
            ReplyGate.check(nil, capabilities: ChannelCapabilities(partKinds: [.text]), channelID: "web", now: now)
                == .success(.unrestricted))
    }
}

@Suite struct LogRedactionTests {
    @Test func phoneNumbersAndEmailsAreMasked() {
        #expect(LogRedaction.redact("21211: Invalid 'To' Phone Number: +1415555012") == "21211: Invalid 'To' Phone Number: +•••5012")
        #expect(LogRedaction.redact("call 138-0013-8000 now") == "call •••8000 now")
        #expect(LogRedaction.redact("mail ann.lee@example.com failed") == "mail a•••@example.com failed")
        #expect(LogRedaction.redact("HTTP 503 after 2 attempts") == "HTTP 503 after 2 attempts")
    }
}
