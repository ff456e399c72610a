import Assist
import Testing

/// The evaluation figures, on inputs small enough to count by hand.
@Suite struct EvaluationTests {
    @Test func intentFiguresMatchAHandCount() {
        let truth = [
            LabelledMessage(text: "a", intent: "order_status", sentiment: "neutral"),
            LabelledMessage(text: "b", intent: "order_status", sentiment: "angry"),
            LabelledMessage(text: "c", intent: "complaint", sentiment: "negative"),
            LabelledMessage(text: "d", intent: "complaint", sentiment: "neutral"),
        ]
        let results = [
            IntentResult(intent: "order_status", confidence: 0.9, sentiment: "neutral"),
            IntentResult(intent: "complaint", confidence: 0.6, sentiment: "negative"),
            IntentResult(intent: "complaint", confidence: 0.8, sentiment: "negative"),
            IntentResult(intent: "other", confidence: 0.2, sentiment: "negative"),
        ]
        let report = IntentEvaluation.score(results, truth: truth)
        #expect(report.accuracy == 0.5)
        // order_status: P 1, R 0.5, F1 2/3; complaint: P 0.5, R 0.5, F1 0.5.
        #expect(abs(report.macroF1 - (2.0 / 3 + 0.5) / 2) < 1e-9)
        #expect(report.perLabel["order_status"]?.precision == 1 && report.perLabel["complaint"]?.recall == 0.5)
        let row = report.labels.firstIndex(of: "complaint")!
        #expect(report.confusion[row][report.labels.firstIndex(of: "other")!] == 1)
        #expect(report.sentimentAccuracy == 0.5)
        // Needs care: truth b, c; said b, c, d → recall 1, precision 2/3.
        #expect(report.needsCareRecall == 1 && abs((report.needsCarePrecision ?? 0) - 2.0 / 3) < 1e-9)
        // ECE: bins 0.9 (right), 0.6 (wrong), 0.8 (right), 0.2 (wrong) → (0.1 + 0.6 + 0.2 + 0.2) / 4.
        #expect(abs(report.ece - 0.275) < 1e-6)
    }

    @Test func knowledgeFiguresMatchAHandCount() {
        let questions = [
            KnowledgeQuestion(text: "a", lang: "en", answerIDs: ["x"]),
            KnowledgeQuestion(text: "b", lang: "en", answerIDs: ["y"]),
            KnowledgeQuestion(text: "c", lang: "en", answerIDs: []),
            KnowledgeQuestion(text: "d", lang: "en", answerIDs: []),
        ]
        let results = [
            KnowledgeResult(ranked: ["x", "y"], answerable: true, evidence: 9),
            KnowledgeResult(ranked: ["x", "z", "y"], answerable: false, evidence: 1),
            KnowledgeResult(ranked: ["x"], answerable: false, evidence: 1),
            KnowledgeResult(ranked: ["y"], answerable: true, evidence: 5),
        ]
        let report = KnowledgeEvaluation.score(results, questions: questions, durations: [1, 2, 3, 4], threshold: 4)
        #expect(report.top1 == 0.5 && report.top3 == 1)
        #expect(report.declineRecall == 0.5 && report.falseDeclineRate == 0.5)
        #expect(report.p99Ms == 4)
    }
}
