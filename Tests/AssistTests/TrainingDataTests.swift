import Assist
import HubCore
import Testing

/// Our own training data keeps the shape the issue asks for.
@Suite struct TrainingDataTests {
    @Test func theDataCoversEveryLabelLanguageAndTone() throws {
        let set = try TrainingSet.load(folder: "samples/assist")
        let all = set.training + set.development
        #expect(all.count >= 2_400)
        #expect(Set(all.map(\.intent)) == Set(AssistLabels.intents))
        #expect(Set(all.compactMap(\.sentiment)) == Set(AssistLabels.sentiments))
        let share = { (lang: String) in Double(all.filter { $0.lang == lang }.count) / Double(all.count) }
        #expect(share("zh") > 0.5 && share("zh") < 0.62, "zh \(share("zh"))")
        #expect(share("en") > 0.3 && share("en") < 0.4, "en \(share("en"))")
        #expect(share("mix") >= 0.09, "mix \(share("mix"))")
        // Complaints are never calm.
        #expect(all.filter { $0.intent == "complaint" }.allSatisfy { AssistLabels.needsCare($0.sentiment ?? "") })
        // The dev split holds out every label.
        #expect(Set(set.development.map(\.intent)) == Set(AssistLabels.intents))
        #expect(Set(set.training.map(\.text)).isDisjoint(with: set.development.map(\.text)))
        // The stated language is what the detector reads.
        let mismatched = all.filter { (LanguageGuess.of($0.text) ?? "en") != $0.lang }
        #expect(mismatched.count < all.count / 50, "\(mismatched.prefix(5).map(\.text))")
    }
}
