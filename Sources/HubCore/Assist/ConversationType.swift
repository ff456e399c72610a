/// A conversation's type for tickets and reports (`../shared/ASSIST.md`), from what its
/// customer asked. A complaint anywhere makes it a complaint; otherwise after-sales requests
/// outweigh questions; a conversation the shop's own campaign started, or an opt-out, is
/// marketing.
package enum ConversationType {
    /// Intents that are after-sales work on a placed order.
    static let afterSales: Set<String> = ["return_refund", "cancel_order", "change_address"]

    /// The type of a conversation whose customer messages had `intents` (oldest first) and
    /// `shopStarted` when the shop wrote first (a campaign message), `optOut` when one asked to
    /// stop marketing messages.
    package static func of(intents: [String], shopStarted: Bool = false, optOut: Bool = false) -> String {
        if intents.contains("complaint") { return "complaint" }
        if intents.contains(where: afterSales.contains) { return "after_sales" }
        let topical = intents.filter { $0 != "greeting_chitchat" && $0 != AssistLabels.otherIntent && $0 != "human_agent" }
        if optOut || (shopStarted && topical.allSatisfy { $0 == "coupon_promotion" }) { return "marketing" }
        return "inquiry"
    }

    /// The type after one more analysed message, from the type before (nil for the first):
    /// the same answer as `of(intents:…)` over all the messages, without reading them again.
    /// `shopStarted` matters only for the first message.
    package static func next(after current: String?, intent: String, shopStarted: Bool = false, optOut: Bool = false) -> String {
        guard let current else { return of(intents: [intent], shopStarted: shopStarted, optOut: optOut) }
        if current == "complaint" || intent == "complaint" { return "complaint" }
        if current == "after_sales" || afterSales.contains(intent) { return "after_sales" }
        if optOut { return "marketing" }
        if current == "marketing", ["coupon_promotion", "greeting_chitchat", "human_agent", AssistLabels.otherIntent].contains(intent) {
            return "marketing"
        }
        return "inquiry"
    }
}
