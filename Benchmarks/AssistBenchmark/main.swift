import Assist
import Foundation

let set = try TrainingSet.load(folder: "samples/assist")
var start = Date()
let texts = (set.training + set.development).map(\.text)
var count = 0
for text in texts { count += Tokenizer().features(of: text).count }
print("tokenize", Date().timeIntervalSince(start), count)
start = Date()
for text in texts { count += Tokenizer(purpose: .tone).features(of: text).count }
print("tokenize tone", Date().timeIntervalSince(start))
start = Date()
let model = AssistTrainer().train(set.training, calibration: set.development)
print("train", Date().timeIntervalSince(start), model.version)
start = Date()
for text in texts { count += TextNormalizer.normalize(text).count }
print("normalize", Date().timeIntervalSince(start))
start = Date()
for text in texts { let n = TextNormalizer.normalize(text); for e in ["投诉", "12315", "消协", "消费者协会", "曝光", "差评", "骗子", "骗人", "垃圾", "什么玩意"] { if n.contains(e) { count += 1 } } }
print("10 contains", Date().timeIntervalSince(start))
