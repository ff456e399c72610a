import Assist
import Foundation
import HubCore
import Testing

/// The model: trained deterministically from our own data, saved and read back unchanged,
/// calibrated, and never crashing on what customers send.
@Suite(.serialized) struct ModelTests {
    static let data = try! TrainingSet.load(folder: "samples/assist")
    static let model = AssistTrainer().train(data.training, calibration: data.development)

    @Test func trainingIsDeterministicToTheByte() {
        let again = AssistTrainer().train(Self.data.training, calibration: Self.data.development)
        #expect(ModelFile.encode(again) == ModelFile.encode(Self.model))
        #expect(again.version == Self.model.version && Self.model.version.hasPrefix("m-"))
    }

    @Test func theFileRoundTripsAndIsSmall() throws {
        let data = ModelFile.encode(Self.model)
        #expect(data.count < 20 << 20, "the model file must stay under 20 MB")
        let read = try ModelFile.decode(data)
        for message in Self.data.development.prefix(50) {
            #expect(read.analyze(message.text) == Self.model.analyze(message.text))
        }
        #expect(throws: ModelFileError.truncated) { try ModelFile.decode(data.prefix(data.count - 3)) }
        #expect(throws: ModelFileError.notAModel) { try ModelFile.decode(Data("not a model at all".utf8)) }
        #expect(throws: ModelFileError.missing("/nonexistent/model.bin")) { try ModelFile.read(from: "/nonexistent/model.bin") }
    }

    @Test(arguments: [
        ("亲 我的快递三天没更新了 到哪了", "logistics_tracking"),
        ("我要退货 衣服太大了", "return_refund"),
        ("转人工", "human_agent"),
        ("收不到验证码", "account_login"),
        ("can i cancel my order before it ships", "cancel_order"),
        ("i was charged twice", "payment_issue"),
        ("谢谢亲", "greeting_chitchat"),
    ])
    func plainRequestsGetTheirIntent(text: String, intent: String) {
        let analysis = Self.model.analyze(text)
        #expect(analysis.intent == intent, "\(text): \(analysis.top)")
        #expect(analysis.top.count == 3 && analysis.top[0].label == analysis.intent)
        #expect(analysis.top.map(\.probability) == analysis.top.map(\.probability).sorted(by: >))
    }

    @Test func angerAndWorryAreToldApartFromPlainQuestions() {
        #expect(Self.model.analyze("再不处理我就投诉到12315！！").sentiment == "angry")
        #expect(Self.model.analyze("THIS IS RIDICULOUS where is my refund").sentiment == "angry")
        #expect(AssistLabels.needsCare(Self.model.analyze("等了一周了还没发货 有点着急").sentiment))
        #expect(Self.model.analyze("请问有M码吗").sentiment == "neutral")
    }

    @Test func lowConfidenceBecomesOther() {
        let analysis = Self.model.analyze("嗯嗯好的那个啥", minConfidence: 0.999)
        #expect(analysis.intent == AssistLabels.otherIntent)
        #expect(analysis.confidence < 0.999 && !analysis.top.isEmpty)
    }

    @Test(arguments: ["", "   ", "😊😊😊", "\u{0}\u{1}\u{2}", String(repeating: "我", count: 1 << 20)])
    func badInputGetsAResultOrOther(text: String) {
        let analysis = Self.model.analyze(text, minConfidence: 0.3)
        #expect(AssistLabels.intents.contains(analysis.intent) || analysis.intent == AssistLabels.otherIntent)
        #expect(AssistLabels.sentiments.contains(analysis.sentiment))
    }

    @Test func temperatureScalingUndoesOverconfidence() {
        // Logits five times too sharp: the fitted temperature should be near 5.
        var generator = SeededGenerator(seed: 7)
        var logits: [[Float]] = []
        var labels: [Int] = []
        for _ in 0..<2_000 {
            let truth = Int.random(in: 0..<3, using: &generator)
            var row = (0..<3).map { _ in Float.random(in: -1...1, using: &generator) }
            row[truth] += 1
            let probabilities = LinearClassifier.softmax(row)
            let label = probabilities[truth] > Float.random(in: 0...1, using: &generator) ? truth : (truth + 1) % 3
            logits.append(row.map { $0 * 5 })
            labels.append(label)
        }
        let temperature = TemperatureScaling.fit(logits: logits, labels: labels)
        #expect(temperature > 3.5 && temperature < 7, "\(temperature)")
    }

    @Test func theDevSplitScoresWhereTheModelWasLeft() {
        // A regression guard on our own dev split, not a target: the held-out figures are measured elsewhere.
        let report = IntentEvaluation.evaluate(Self.model, on: Self.data.development, minConfidence: 0.3)
        #expect(report.accuracy >= 0.86, "dev accuracy \(report.accuracy)")
        #expect(report.ece < 0.08, "ECE \(report.ece)")
        #expect((report.needsCareRecall ?? 0) >= 0.7)
        #expect(report.results.count == Self.data.development.count)
    }
}
