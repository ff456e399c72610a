import HubCore
import Testing

/// A conversation's type from its messages' intents, whole or one message at a time.
@Suite struct ConversationTypeTests {
    @Test func rulesOfAssistMd() {
        #expect(ConversationType.of(intents: ["order_status", "complaint", "greeting_chitchat"]) == "complaint")
        #expect(ConversationType.of(intents: ["order_status", "return_refund"]) == "after_sales")
        #expect(ConversationType.of(intents: ["coupon_promotion"], shopStarted: true) == "marketing")
        #expect(ConversationType.of(intents: ["coupon_promotion"]) == "inquiry")
        #expect(ConversationType.of(intents: ["greeting_chitchat"], optOut: true) == "marketing")
        #expect(ConversationType.of(intents: ["product_question", "logistics_tracking"]) == "inquiry")
    }

    @Test func oneMessageAtATimeGivesTheSameAsAllAtOnce() {
        var generator = SystemRandomNumberGenerator()
        let labels = AssistLabels.intents + [AssistLabels.otherIntent]
        for _ in 0..<2_000 {
            let intents = (0..<Int.random(in: 1...6, using: &generator)).map { _ in labels.randomElement(using: &generator)! }
            let shopStarted = Bool.random(using: &generator)
            var type: String?
            for intent in intents { type = ConversationType.next(after: type, intent: intent, shopStarted: shopStarted) }
            #expect(type == ConversationType.of(intents: intents, shopStarted: shopStarted), "\(intents) \(shopStarted)")
        }
    }
}
