/// The labels of `../shared/ASSIST.md`: what assist recognises in a customer's message. They
/// are a contract shared by the training data, routing (`match.intents`, agents' topics),
/// reports and any evaluation set.
package enum AssistLabels {
    /// The twelve intents, in the order of ASSIST.md.
    package static let intents = [
        "order_status", "logistics_tracking", "return_refund", "cancel_order", "change_address", "payment_issue",
        "coupon_promotion", "product_question", "complaint", "human_agent", "account_login", "greeting_chitchat",
    ]
    /// What a model answers when nothing fits, or when it is not confident enough.
    package static let otherIntent = "other"
    /// Tones, mildest first; `negative` and `angry` "need care", `angry` alone hands off.
    package static let sentiments = ["positive", "neutral", "negative", "angry"]
    /// The languages a message is labelled with.
    package static let languages = ["zh", "en", "mix"]
    /// Conversation types for tickets and reports.
    package static let conversationTypes = ["inquiry", "complaint", "after_sales", "marketing"]

    /// Whether a tone needs care (negative or angry).
    package static func needsCare(_ sentiment: String) -> Bool {
        sentiment == "negative" || sentiment == "angry"
    }
}
