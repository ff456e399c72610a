import Foundation

/// One line of a questions file: `{"text", "lang", "answer_ids": [...]}`; `[]` means the
/// knowledge base cannot answer it.
package struct KnowledgeQuestion: Sendable, Hashable, Codable {
    package var text: String
    package var lang: String?
    package var answerIDs: [String]

    package init(text: String, lang: String?, answerIDs: [String]) {
        self.text = text
        self.lang = lang
        self.answerIDs = answerIDs
    }

    enum CodingKeys: String, CodingKey {
        case text, lang
        case answerIDs = "answer_ids"
    }
}

/// The figures of `tributary assist eval kb`, with the names of `../shared/ASSIST.md`.
package struct KnowledgeReport: Sendable, Codable {
    package var count: Int
    package var answerable: Int
    package var unanswerable: Int
    package var top1: Double
    package var top3: Double
    package var declineRecall: Double
    package var falseDeclineRate: Double
    package var p99Ms: Double
    package var threshold: Double
    package var results: [KnowledgeResult]

    enum CodingKeys: String, CodingKey {
        case count, answerable, unanswerable, top1, top3, threshold, results
        case declineRecall = "decline_recall"
        case falseDeclineRate = "false_decline_rate"
        case p99Ms = "p99_ms"
    }
}

/// One question's raw output.
package struct KnowledgeResult: Sendable, Codable, Hashable {
    package var ranked: [String]
    package var answerable: Bool
    package var evidence: Double

    package init(ranked: [String], answerable: Bool, evidence: Double) {
        self.ranked = ranked
        self.answerable = answerable
        self.evidence = evidence
    }
}

package enum KnowledgeEvaluation {
    package static func evaluate(_ index: KnowledgeIndex, on questions: [KnowledgeQuestion]) -> KnowledgeReport {
        var results: [KnowledgeResult] = []
        var durations: [Double] = []
        for question in questions {
            let start = DispatchTime.now().uptimeNanoseconds
            let search = index.search(question.text, lang: question.lang == "mix" ? nil : question.lang, limit: 5)
            durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            results.append(KnowledgeResult(ranked: search.hits.map(\.id), answerable: search.answerable, evidence: search.evidence))
        }
        return score(results, questions: questions, durations: durations, threshold: index.answerThreshold)
    }

    package static func score(_ results: [KnowledgeResult], questions: [KnowledgeQuestion], durations: [Double], threshold: Double)
        -> KnowledgeReport
    {
        var answerable = 0
        var top1 = 0
        var top3 = 0
        var falseDeclines = 0
        var unanswerable = 0
        var declined = 0
        for (result, question) in zip(results, questions) {
            if question.answerIDs.isEmpty {
                unanswerable += 1
                if !result.answerable { declined += 1 }
                continue
            }
            answerable += 1
            if let first = result.ranked.first, question.answerIDs.contains(first) { top1 += 1 }
            if result.ranked.prefix(3).contains(where: question.answerIDs.contains) { top3 += 1 }
            if !result.answerable { falseDeclines += 1 }
        }
        func share(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
        return KnowledgeReport(
            count: questions.count, answerable: answerable, unanswerable: unanswerable, top1: share(top1, answerable),
            top3: share(top3, answerable), declineRecall: share(declined, unanswerable),
            falseDeclineRate: share(falseDeclines, answerable), p99Ms: Percentile.of(durations, 0.99), threshold: threshold,
            results: results)
    }

    /// The evidence threshold that best separates answerable from unanswerable questions: the
    /// highest decline recall minus 1.5 × the false-decline rate, ties going to the lower
    /// threshold. False declines weigh more because the targets allow half as many of them
    /// (≤ 10 %) as missed declines (≤ 20 %).
    package static func calibrateThreshold(_ index: KnowledgeIndex, on questions: [KnowledgeQuestion]) -> Double {
        let evidence = questions.map { index.search($0.text, lang: $0.lang == "mix" ? nil : $0.lang, limit: 1).evidence }
        let answerable = questions.filter { !$0.answerIDs.isEmpty }.count
        let unanswerable = questions.count - answerable
        guard answerable > 0, unanswerable > 0 else { return index.answerThreshold }
        var best = index.answerThreshold
        var bestScore = -Double.infinity
        for candidate in Set(evidence).sorted() {
            var declined = 0
            var falseDeclines = 0
            for (value, question) in zip(evidence, questions) where value < candidate {
                if question.answerIDs.isEmpty { declined += 1 } else { falseDeclines += 1 }
            }
            let score = Double(declined) / Double(unanswerable) - 1.5 * Double(falseDeclines) / Double(answerable)
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best
    }
}
