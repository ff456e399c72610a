import Foundation
import HubCore
import Testing

@Suite struct MessageModelTests {
    @Test func cardDegradesToTitleTextAndLinkOnATextOnlyChannel() {
        let textOnly = ChannelCapabilities(partKinds: [.text])
        let parts: [MessagePart] = [
            .text("Your order:"),
            .card(title: "Order #1042", text: "Shipped with SF Express", imageURL: "https://x/img.png", link: "https://shop/o/1042"),
        ]
        #expect(textOnly.degrade(parts) == [.text("Your order:\n\nOrder #1042\nShipped with SF Express\nhttps://shop/o/1042")])
    }

    @Test func supportedPartsAreKeptAndOthersBecomeText() {
        let capabilities = ChannelCapabilities(partKinds: [.image])
        let parts: [MessagePart] = [
            .image(url: "https://x/a.png", caption: nil),
            .quickReplies(text: "Track it?", replies: ["Yes", "No"]),
            .location(latitude: 31.2, longitude: 121.5, label: "Shanghai"),
        ]
        #expect(
            capabilities.degrade(parts) == [
                .image(url: "https://x/a.png", caption: nil), .text("Track it?\n[Yes]\n[No]\n\nShanghai (31.2,121.5)"),
            ])
        #expect(ChannelCapabilities(partKinds: [.quickReplies, .location]).degrade(parts).count == 3)
    }

    @Test func buttonsDegradeWithTheirTitles() {
        let parts: [MessagePart] = [
            .buttons(text: "Pick one", buttons: [MessageButton(title: "Refund"), MessageButton(title: "Exchange")])
        ]
        #expect(ChannelCapabilities(partKinds: []).degrade(parts) == [.text("Pick one\n[Refund]\n[Exchange]")])
    }

    @Test func partsRoundTripThroughJSON() throws {
        let parts: [MessagePart] = [
            .text("hi"), .file(url: "https://x/f.pdf", name: "f.pdf", mimeType: "application/pdf", size: 10),
            .card(title: "t", text: nil, imageURL: nil, link: "https://l"),
            .buttons(text: "b", buttons: [MessageButton(title: "Go", url: "https://go")]),
        ]
        let decoded = try JSONDecoder().decode([MessagePart].self, from: JSONEncoder().encode(parts))
        #expect(decoded == parts)
    }

    @Test func deliveryStatusNeverMovesBack() {
        #expect(DeliveryStatus.pending.advanced(to: .sent) == .sent)
        #expect(DeliveryStatus.delivered.advanced(to: .sent) == .delivered)
        #expect(DeliveryStatus.read.advanced(to: .delivered) == .read)
        #expect(DeliveryStatus.sent.advanced(to: .failed) == .failed)
        #expect(DeliveryStatus.delivered.advanced(to: .failed) == .delivered)
        #expect(DeliveryStatus.failed.advanced(to: .sent) == .failed)
        #expect(DeliveryStatus.failed.advanced(to: .delivered) == .delivered)
    }

    @Test func backoffGrowsWithJitterAndIsCapped() {
        let backoff = Backoff(initial: .seconds(2), maximum: .seconds(60))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let first = backoff.delay(afterAttempt: 1, using: &generator)
            #expect(first >= .seconds(1) && first <= .seconds(2))
            let third = backoff.delay(afterAttempt: 3, using: &generator)
            #expect(third >= .seconds(4) && third <= .seconds(8))
            #expect(backoff.delay(afterAttempt: 20, using: &generator) <= .seconds(60))
        }
    }

    @Test func searchTextIndexesChineseAsCharactersAndPairs() {
        #expect(SearchText.indexable("我的订单 order 42") == "我 的 订 单 我的 的订 订单 order 42")
        #expect(SearchText.matchExpression("订单") == "\"订单\"")
        #expect(SearchText.matchExpression("我的订单") == "\"我的 的订 订单\"")
        #expect(SearchText.matchExpression("单") == "\"单\"")
        #expect(SearchText.matchExpression("Where \"is\" it?") == "\"Where\" \"is\" \"it\"")
        #expect(SearchText.matchExpression("  !! ") == nil)
    }
}
