import Assist
import Foundation

let articles = try ArticleLoader.load(path: "samples/assist/kb")
let synonyms = try Synonyms.load(path: "samples/assist/synonyms.txt")
let questions = try JSONLines.read(KnowledgeQuestion.self, from: "samples/assist/kb-questions.jsonl")
var index = KnowledgeIndex(articles: articles, synonyms: synonyms)
let threshold = KnowledgeEvaluation.calibrateThreshold(index, on: questions)
index.answerThreshold = threshold
let report = KnowledgeEvaluation.evaluate(index, on: questions)
print("threshold", threshold, "top1", report.top1, "top3", report.top3, "decline", report.declineRecall, "false decline", report.falseDeclineRate, "p99", report.p99Ms)
for (q, r) in zip(questions, report.results) {
    let wrong = q.answerIDs.isEmpty ? r.answerable : (!(q.answerIDs.contains(r.ranked.first ?? "")) || !r.answerable)
    if wrong { print(String(format: "%.2f", r.evidence), q.answerIDs.first ?? "-", "->", r.ranked.prefix(2), q.text) }
}
