import Assist
import Foundation
import HubCore

// Assist on one core: training time, model size and load time, then classify + retrieve
// (intent, tone, language, and a knowledge-base search) for every dev message and question,
// five passes, as latency percentiles; with the dev and knowledge-base figures beside them.

func milliseconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func peakMemoryMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

let folder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "samples/assist"
let set = try TrainingSet.load(folder: folder)
var start = DispatchTime.now().uptimeNanoseconds
let trained = AssistTrainer().train(set.training, calibration: set.development)
let trainMs = milliseconds(since: start)
let path = FileManager.default.temporaryDirectory.appendingPathComponent("assist-bench-\(getpid()).bin").path
try ModelFile.write(trained, to: path)
defer { try? FileManager.default.removeItem(atPath: path) }
let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
start = DispatchTime.now().uptimeNanoseconds
let model = try ModelFile.read(from: path)
let loadMs = milliseconds(since: start)

let articles = try ArticleLoader.load(path: "\(folder)/kb")
let synonyms = try Synonyms.load(path: "\(folder)/synonyms.txt")
let index = KnowledgeIndex(articles: articles, synonyms: synonyms)
let questions = try JSONLines.read(KnowledgeQuestion.self, from: "\(folder)/kb-questions.jsonl")

var inputs = set.development.map(\.text) + questions.map(\.text)
// The worst a customer can send: a long message (the tokeniser reads the first 4,000 scalars).
inputs.append(String(repeating: "亲 我的订单20231108553还没发货 where is my order ", count: 200))
var latencies: [Double] = []
var sink = 0
let passes = 5
let wall = DispatchTime.now().uptimeNanoseconds
for _ in 0..<passes {
    for text in inputs {
        let begin = DispatchTime.now().uptimeNanoseconds
        let analysis = model.analyze(text, minConfidence: 0.3)
        let search = index.search(text, lang: analysis.language == "mix" ? nil : analysis.language, limit: 5)
        latencies.append(milliseconds(since: begin))
        sink &+= analysis.intent.count &+ search.hits.count
    }
}
let wallSeconds = milliseconds(since: wall) / 1000
let dev = IntentEvaluation.evaluate(model, on: set.development, minConfidence: 0.3)
let kb = KnowledgeEvaluation.evaluate(index, on: questions)

print("assist benchmark (one core, \(inputs.count) inputs × \(passes) passes)")
print(
    String(format: "  training            %8.0f ms on %d messages (calibrated on %d)", trainMs, set.training.count, set.development.count))
print(String(format: "  model file          %8.2f MB, loaded in %.0f ms", Double(bytes) / 1_048_576, loadMs))
print(
    String(
        format: "  classify + retrieve p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms", Percentile.of(latencies, 0.5),
        Percentile.of(latencies, 0.95), Percentile.of(latencies, 0.99), latencies.max() ?? 0))
print(String(format: "  throughput          %8.0f messages/s on one core", Double(latencies.count) / wallSeconds))
print(String(format: "  peak memory         %8.1f MB", peakMemoryMegabytes()))
print(
    String(
        format: "  dev split           accuracy %.1f %%, macro-F1 %.3f, ECE %.3f, needs-care recall %.1f %%, precision %.1f %%",
        dev.accuracy * 100, dev.macroF1, dev.ece, (dev.needsCareRecall ?? 0) * 100, (dev.needsCarePrecision ?? 0) * 100))
print(
    String(
        format: "  knowledge base      top-1 %.1f %%, top-3 %.1f %%, declined %.1f %%, wrongly declined %.1f %%", kb.top1 * 100,
        kb.top3 * 100, kb.declineRecall * 100, kb.falseDeclineRate * 100))
if sink == 42 { print("") }
