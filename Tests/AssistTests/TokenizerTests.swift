import Assist
import HubCore
import Testing

/// How text becomes features: one form for the ways one text can be typed, class tokens for
/// what varies without changing the meaning, and tone marks case folding would lose.
@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    @Test func fullWidthCaseAndTraditionalFoldToOneForm() {
        #expect(TextNormalizer.normalize("ＡＢＣ１２３！") == "abc123!")
        #expect(TextNormalizer.normalize("訂單還沒發貨嗎") == "订单还没发货吗")
        #expect(TextNormalizer.normalize("Where IS my Order") == "where is my order")
        #expect(tokenizer.features(of: "訂單發貨了嗎") == tokenizer.features(of: "订单发货了吗"))
    }

    @Test func chineseRunsBecomeOneToThreeGrams() {
        let features = tokenizer.features(of: "发货了")
        for gram in ["h:发", "h:货", "h:了", "h:发货", "h:货了", "h:发货了"] { #expect(features.contains(gram), "\(gram)") }
        #expect(!features.contains { $0.hasPrefix("w:") })
    }

    @Test func latinWordsGetBigramsAndCharacterGrams() {
        let features = tokenizer.features(of: "refund please")
        #expect(features.contains("w:refund") && features.contains("w:please"))
        #expect(features.contains("b:refund_please"))
        #expect(features.contains("c:^ref") && features.contains("c:und$") && features.contains("c:efund"))
    }

    @Test(arguments: [
        ("单号SF1234567890123到哪了", "<tracking>"),
        ("订单 #10293 发了吗", "<order>"),
        ("订单20231108553什么时候发", "<order>"),
        ("tracking 73100000000001", "<tracking>"),
        ("电话13800138000", "<phone>"),
        ("多扣了30元", "<amount>"),
        ("charged $45 twice", "<amount>"),
        ("hello 😊", "<emoji>"),
    ])
    func numbersAndEmojiBecomeClassTokens(text: String, token: String) {
        #expect(tokenizer.features(of: text).contains(token), "\(text)")
    }

    @Test func shoutingAndRepeatedMarksAreKeptAsTone() {
        #expect(tokenizer.features(of: "WHERE IS MY ORDER").contains("<shout>"))
        #expect(!tokenizer.features(of: "where is my order").contains("<shout>"))
        #expect(tokenizer.features(of: "还不发货！！").contains("<bangs>"))
        #expect(tokenizer.features(of: "what??").contains("<questions>"))
        #expect(tokenizer.features(of: "我要投诉").contains("<tone:angry>"))
        #expect(tokenizer.features(of: "really disappointed").contains("<tone:negative>"))
        #expect(tokenizer.features(of: "谢谢亲").contains("<tone:positive>"))
    }

    @Test(arguments: [
        ("亲，我昨天买的耳机发货了吗", "zh"),
        ("where is my parcel", "en"),
        ("亲 我的order还没ship吗", "mix"),
        ("单号SF1234567890123到哪了", "zh"),
        ("訂單還沒到", "zh"),
        ("😊", "en"),
        ("", "en"),
    ])
    func languageIsZhEnOrMix(text: String, language: String) {
        #expect((LanguageGuess.of(text) ?? "en") == language)
    }

    @Test func hugeBinaryAndEmptyTextTokeniseWithinBounds() {
        let huge = String(repeating: "退款 refund ", count: 100_000)
        #expect(tokenizer.features(of: huge).count < 40_000)
        let binary = String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }, as: UTF8.self)
        _ = tokenizer.features(of: binary)
        #expect(tokenizer.features(of: "") == ["<len:tiny>"])
    }
}
