import Foundation

/// Small readings of a customer's turn that no model is needed for: a request for a person,
/// a yes or a no to a question the bot asked, thanks or goodbye, "my order" versus a general
/// question, and a new address.
enum CustomerWords {
    static func folded(_ text: String) -> String {
        TextNormalizer.normalize(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let personWords = ["转人工", "人工客服", "人工服务", "找人工", "要人工", "接人工", "真人", "活人", "人工"]
    static let personPhrases = [
        "agent", "human", "real person", "manager", "supervisor", "representative", "operator", "talk to a person", "talk to someone",
        "speak to someone", "speak to a person", "customer service rep",
    ]

    /// The customer asks for a person.
    static func asksForPerson(_ text: String) -> Bool {
        let text = folded(text)
        if personWords.contains(where: text.contains) && !text.contains("人工智能") { return true }
        return personPhrases.contains { OrderReference.containsWord(text, $0) }
    }

    enum Answer { case yes, no }

    static let noWords = [
        "不用", "不要", "算了", "不取消", "不改", "先不", "不是", "否", "别", "no", "nope", "don't", "dont", "do not", "keep it", "never mind",
        "nevermind", "not now", "wait",
    ]
    static let yesWords = [
        "是", "确认", "确定", "好", "可以", "对", "嗯", "行", "要", "取消吧", "改吧", "麻烦", "yes", "y", "yeah", "yep", "yup", "ok", "okay",
        "sure", "confirm", "please do", "go ahead", "do it", "correct", "right", "please",
    ]

    /// A yes or a no to a confirmation question; `nil` when the turn is something else.
    static func answer(_ text: String) -> Answer? {
        let text = folded(text).trimmingCharacters(in: .punctuationCharacters.union(.symbols).union(.whitespaces))
        guard !text.isEmpty, text.count <= 24 else { return nil }
        // "是不是已经发货了？" asks something; it confirms nothing.
        if text.contains("吗") || text.contains("是不是") || text.contains("?") || text.contains("？") { return nil }
        func starts(_ word: String) -> Bool {
            guard text.hasPrefix(word) else { return false }
            // An English word must end there ("no" is not "now").
            guard let next = text.dropFirst(word.count).first, word.first?.isASCII == true else { return true }
            return !next.isLetter
        }
        if noWords.contains(where: starts) { return .no }
        if yesWords.contains(where: starts) { return .yes }
        return nil
    }

    enum Courtesy { case thanks, bye, hello }

    static func courtesy(_ text: String) -> Courtesy {
        let text = folded(text)
        if ["谢谢", "感谢", "多谢", "谢了", "谢啦"].contains(where: text.contains)
            || ["thank", "thanks", "thank you", "thx", "ty", "cheers", "appreciate it"].contains(where: {
                OrderReference.containsWord(text, $0)
            })
        {
            return .thanks
        }
        if ["再见", "拜拜", "回见"].contains(where: text.contains)
            || ["bye", "goodbye", "see you", "bye bye"].contains(where: { OrderReference.containsWord(text, $0) })
        {
            return .bye
        }
        return .hello
    }

    static let smallTalkWords = [
        "你好", "您好", "在吗", "在不在", "有人吗", "哈喽", "嗨", "亲", "谢谢", "感谢", "多谢", "再见", "拜拜", "好的", "嗯嗯", "早上好", "晚上好",
    ]
    static let smallTalkPhrases = [
        "hi", "hello", "hey", "anyone there", "thanks", "thank you", "thx", "bye", "goodbye", "good morning", "good evening", "ok", "okay",
        "cheers", "great", "cool",
    ]

    /// A turn that is only small talk: a greeting, thanks or goodbye, and no request beside it.
    static func isSmallTalk(_ text: String) -> Bool {
        let text = folded(text)
        if mentionsOrder(text) { return false }
        if smallTalkWords.contains(where: text.contains) { return true }
        return smallTalkPhrases.contains { OrderReference.containsWord(text, $0) }
    }

    static let orderWords = [
        "订单", "单子", "快递", "包裹", "物流", "发货", "退款", "退货", "取消", "地址", "到哪", "order", "parcel", "package", "delivery",
        "shipment", "shipping", "tracking", "refund", "cancel", "address", "my stuff",
    ]

    /// The turn speaks of an order, a parcel or a refund.
    static func mentionsOrder(_ text: String) -> Bool {
        let text = folded(text)
        return orderWords.contains(where: text.contains)
    }

    /// A question (not a statement, not noise).
    static func isQuestion(_ text: String) -> Bool {
        let text = folded(text)
        if text.contains("?") || text.contains("吗") || text.contains("么") || text.contains("呢") { return true }
        let starts = ["what", "where", "when", "why", "how", "which", "who", "can ", "could ", "do ", "does ", "is ", "are ", "will "]
        if starts.contains(where: text.hasPrefix) { return true }
        return ["能不能", "可不可以", "有没有", "是不是", "多少", "几天", "怎么", "如何", "哪"].contains(where: text.contains)
    }

    static let generalMarkers = ["你们", "一般", "请问能", "支持", "政策", "规则", "多久", "几天能到"]
    static let generalPhrases = [
        "do you", "does your", "can you ship", "how long do", "how long does", "how do i", "what is your", "what's your",
        "which couriers", "which courier do you", "policy", "in general", "usually",
    ]

    /// A question about how the shop works rather than about one's own order.
    static func isGeneral(_ text: String) -> Bool {
        let text = folded(text)
        if generalMarkers.contains(where: text.contains) { return true }
        return generalPhrases.contains { text.contains($0) }
    }

    static let parcelWords = ["物流", "快递", "运单", "包裹", "签收", "派送", "送到", "什么时候到", "啥时候到", "几天到"]
    static let parcelPhrases = ["arrive", "tracking", "track", "delivered", "parcel", "package", "courier", "shipment"]

    /// The turn names the parcel or its courier ("where is my order?" alone names neither).
    static func namesParcel(_ text: String) -> Bool {
        let text = folded(text)
        return parcelWords.contains(where: text.contains) || parcelPhrases.contains(where: text.contains)
    }

    static let dispatchWords = ["发货", "发了", "发出", "付款", "支付", "打包", "备货", "状态"]
    static let dispatchPhrases = ["ship", "sent out", "dispatch", "packed", "paid", "unpaid", "status", "processing"]

    /// The turn asks whether or when the order leaves the shop (or about its state there).
    static func asksAboutDispatch(_ text: String) -> Bool {
        let text = folded(text)
        return dispatchWords.contains(where: text.contains) || dispatchPhrases.contains(where: text.contains)
    }

    static let shoutWords = [
        "垃圾", "骗子", "破", "投诉", "12315", "差评", "气死", "滚", "他妈", "tm", "妈的", "什么玩意", "damn", "useless", "ridiculous",
        "scam", "worst", "fuck", "shit", "disgusting", "unacceptable", "report you", "dispute",
    ]

    /// Words or punctuation that shout: repeated marks, capitals, insults and threats.
    static func shouts(_ text: String) -> Bool {
        if text.contains("!!") || text.contains("！！") || text.contains("??") || text.contains("？？") { return true }
        let capitals = text.split { !$0.isLetter }.filter { $0.count >= 3 && $0.allSatisfy { $0.isUppercase && $0.isASCII } }
        if capitals.count >= 2 { return true }
        let lowered = folded(text)
        return shoutWords.contains(where: lowered.contains)
    }

    static let personalMarkers = [
        "我的", "我买", "我下", "我订", "我的订单", "我那", "我这", "俺", "咱", "到哪", "到了没", "发货了吗", "发了没", "发货没", "什么时候到",
        "啥时候到", "怎么还没", "还没到", "还没收到", "没收到", "帮我", "给我查", "查一下", "查查", "单号", "订单号", "我的快递", "我的包裹",
        "我要", "我想", "想改", "想取消", "拍错", "写错",
    ]
    static let personalPhrases = [
        "my", "mine", "i ordered", "i bought", "i paid", "i placed", "where is", "where's", "wheres", "when will it", "hasn't arrived",
        "has not arrived", "haven't received", "have not received", "didn't get", "not arrived", "check on", "track it", "i want to",
        "can you cancel", "please cancel", "cancel it", "i need to", "tracking number", "my order", "my parcel", "my package",
    ]

    /// The turn is about the customer's own order, not a general policy question.
    static func isPersonal(_ text: String) -> Bool {
        let text = folded(text)
        if personalMarkers.contains(where: text.contains) { return true }
        return personalPhrases.contains { OrderReference.containsWord(text, $0) }
    }

    static let refundWords = ["退款", "退钱", "钱退", "退回来", "到账", "refund", "money back", "the money", "reimburse"]

    static func mentionsRefund(_ text: String) -> Bool {
        let text = folded(text)
        return refundWords.contains(where: text.contains)
    }

    static let addressLeads = [
        "改成", "改为", "改到", "换成", "换到", "寄到", "送到", "发到", "地址是", "新地址", "address to", "address is", "ship it to", "ship to",
        "send it to", "deliver it to", "deliver to", "change it to", "instead to",
    ]

    /// The new address the turn gives after a lead-in ("改成…", "ship it to …"), if any.
    static func newAddress(in text: String) -> String? {
        let lowered = text.lowercased()
        for lead in addressLeads {
            guard let range = lowered.range(of: lead) else { continue }
            let offset = lowered.distance(from: lowered.startIndex, to: range.upperBound)
            let rest = String(text.dropFirst(offset)).trimmingCharacters(
                in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ":：,，")))
            let cleaned = rest.trimmingCharacters(in: CharacterSet(charactersIn: "。.!！?？"))
            if cleaned.count >= 6 { return cleaned }
        }
        return nil
    }

    /// A turn that reads as an address by itself (after the bot asked for one).
    static func looksLikeAddress(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 6, !trimmed.hasSuffix("?"), !trimmed.hasSuffix("？") else { return false }
        let markers = [
            "省", "市", "区", "县", "路", "街", "号", "室", "栋", "road", "street", "st.", "ave", "avenue", "district", "apt", "floor", "lane",
        ]
        let lowered = trimmed.lowercased()
        return markers.contains(where: lowered.contains) || trimmed.contains(where: \.isNumber)
    }
}
