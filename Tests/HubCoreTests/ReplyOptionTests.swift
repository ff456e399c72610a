import Foundation
import HubCore
import Testing

/// What the composer shows before sending: the gate's own verdict, with the window's end and
/// the replies left in it.
@Suite struct ReplyOptionTests {
    let wechat = ChannelCapabilities(
        partKinds: [.text], maxTextLength: 2048,
        replyWindow: ReplyWindow(
            afterMessage: ReplyAllowance(duration: .seconds(48 * 3600), quota: 5),
            afterActivity: ReplyAllowance(duration: .seconds(60), quota: 3)),
        honoursOptOut: true)
    let sms = ChannelCapabilities(partKinds: [.text], maxTextLength: 1600, honoursOptOut: true)
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func option(_ state: ContactState?, _ capabilities: ChannelCapabilities, kind: String = "wechat") -> ReplyOption {
        ReplyOption.evaluate(
            conversation: 7, channel: kind == "wechat" ? "wx" : "sms", kind: kind, subject: nil, state: state, capabilities: capabilities,
            now: now)
    }

    @Test func anOpenWechatWindowShowsItsEndAndTheRepliesLeft() {
        let wrote = now.addingTimeInterval(-3600)
        let open = option(ContactState(lastMessageAt: wrote, repliesSinceMessage: 2), wechat)
        #expect(open.allowed && open.refusalCode == nil)
        #expect(open.windowClosesAt == wrote.addingTimeInterval(48 * 3600))
        #expect(open.repliesLeft == 3 && open.maxLength == 2048)
    }

    @Test func aRefusalIsTheSendsOwn() {
        let used = option(ContactState(lastMessageAt: now.addingTimeInterval(-60), repliesSinceMessage: 5), wechat)
        #expect(!used.allowed && used.refusalCode == "reply_quota_exhausted" && used.repliesLeft == nil)
        let late = option(ContactState(lastMessageAt: now.addingTimeInterval(-49 * 3600)), wechat)
        #expect(!late.allowed && late.refusalCode == "outside_reply_window" && late.refusalMessage?.contains("48 hours") == true)
        let never = option(nil, wechat)
        #expect(!never.allowed && never.refusalCode == "outside_reply_window")
    }

    @Test func aMenuClickWindowCountsItsOwnReplies() {
        let clicked = now.addingTimeInterval(-20)
        let menu = option(ContactState(lastActivityAt: clicked, repliesSinceActivity: 1), wechat)
        #expect(menu.allowed && menu.repliesLeft == 2 && menu.windowClosesAt == clicked.addingTimeInterval(60))
    }

    @Test func smsHasNoWindowButAStop() {
        let open = option(ContactState(), sms, kind: "sms")
        #expect(open.allowed && open.windowClosesAt == nil && open.repliesLeft == nil && !open.optedOut)
        let stopped = option(ContactState(optedOut: true), sms, kind: "sms")
        #expect(!stopped.allowed && stopped.optedOut && stopped.refusalCode == "recipient_opted_out")
    }
}
