/// Words that carry tone whatever the topic. Learned n-grams find tone only where the training
/// data had it; these class tokens let a model generalise "失望" or "unacceptable" from a
/// handful of examples to every intent. Matched on normalised text (lower case, simplified).
enum ToneLexicon {
    /// The tone tokens the normalised scalars carry, one per matching entry (each entry counts
    /// once). One pass over the text: entries are looked up by their first scalar.
    static func marks(normalized scalars: [Unicode.Scalar], words: Set<String>) -> [String] {
        var marks: [String] = []
        var seen: Set<Int> = []
        for start in scalars.indices {
            guard let candidates = byFirstScalar[scalars[start]] else { continue }
            for candidate in candidates where !seen.contains(candidate.id) {
                let entry = candidate.scalars
                guard start + entry.count <= scalars.count else { continue }
                var index = 1
                while index < entry.count, scalars[start + index] == entry[index] { index += 1 }
                if index == entry.count {
                    seen.insert(candidate.id)
                    marks.append(candidate.mark)
                }
            }
        }
        for (mark, entries) in [("<tone:angry>", angry), ("<tone:negative>", negative), ("<tone:positive>", positive)] {
            for entry in entries.english where words.contains(entry) { marks.append(mark) }
        }
        return marks
    }

    private struct Candidate {
        var id: Int
        var scalars: [Unicode.Scalar]
        var mark: String
    }

    /// The Chinese entries and English phrases, by first scalar.
    private static let byFirstScalar: [Unicode.Scalar: [Candidate]] = {
        var table: [Unicode.Scalar: [Candidate]] = [:]
        var id = 0
        for (mark, entries) in [("<tone:angry>", angry), ("<tone:negative>", negative), ("<tone:positive>", positive)] {
            for entry in entries.chinese + entries.phrases {
                let scalars = Array(TextNormalizer.normalize(entry).unicodeScalars)
                guard let first = scalars.first else { continue }
                table[first, default: []].append(Candidate(id: id, scalars: scalars, mark: mark))
                id += 1
            }
        }
        return table
    }()

    struct Entries {
        var chinese: [String]
        var english: Set<String>
        var phrases: [String]
    }

    static let angry = Entries(
        chinese: [
            "投诉", "12315", "消协", "消费者协会", "曝光", "差评", "骗子", "骗人", "垃圾", "什么玩意", "搞什么", "凭什么", "坑人", "恶心", "受够",
            "告你", "律师", "媒体", "微博", "维权", "赔偿", "马上", "立刻", "逗我", "耍人", "无耻", "黑店", "倒闭", "死了吗", "良心", "破app", "破快递",
            "什么破", "烂透", "滚", "有病", "气死", "忍无可忍", "举报", "太过分", "过分", "不要脸", "你们是干嘛的", "到底", "😡", "😤", "🤬", "💢",
        ],
        english: [
            "ridiculous", "unacceptable", "scam", "fraud", "thieves", "thief", "liar", "liars", "lawyer", "bbb", "worst", "disgusting",
            "useless", "furious", "hell", "damn", "wtf", "sue", "pathetic", "outrageous", "joke", "ashamed", "rubbish", "crap", "cheated",
        ],
        phrases: [
            "never again", "are you kidding", "1 star", "one star", "fed up", "sick of", "i'm done", "im done", "report you", "how dare",
        ])

    static let negative = Entries(
        chinese: [
            "还没", "还是没", "一直没", "怎么还", "咋还", "好几天", "着急", "急死", "急用", "慌", "担心", "失望", "不满", "太慢", "好慢", "无语",
            "烦", "郁闷", "心塞", "难受", "委屈", "没人理", "没人回", "不回", "敷衍", "拖了", "等了", "好久", "怎么回事", "咋回事", "第二次",
            "第三次", "几次了", "好几次", "太差", "很差", "糟糕", "后悔", "害怕", "不放心", "坏了", "破了", "碎了", "不能用", "没法用", "没用",
            "不舒服", "很不", "一点消息", "没下文", "还不", "都没", "😭", "😢", "😞", "🙄", "😔", "😩", "😒",
        ],
        english: [
            "still", "disappointed", "disappointing", "unhappy", "frustrated", "frustrating", "worried", "annoyed", "annoying", "upset",
            "poor", "broken", "damaged", "late", "slow", "again", "never", "nobody", "ignored", "awful", "terrible", "bad",
            "anxious", "panicking", "concerned", "waiting", "forever", "unfortunately", "wrong", "missing",
        ],
        phrases: ["not happy", "not good", "no one", "no reply", "no response", "been waiting", "days and", "weeks and", "not cool"])

    static let positive = Entries(
        chinese: [
            "谢谢", "感谢", "辛苦", "好评", "满意", "喜欢", "爱你", "赞", "棒", "好看", "可爱", "太好了", "真好", "么么", "3q", "thx", "😊", "😍",
            "❤", "👍", "🙏", "😁", "😄", "🥰", "☺",
        ],
        english: [
            "thanks", "thank", "thx", "ty", "appreciate", "appreciated", "love", "great", "awesome", "perfect", "amazing", "cheers",
            "wonderful", "helpful", "lovely", "excellent", "fantastic",
        ],
        phrases: [":)", "much appreciated"])
}
