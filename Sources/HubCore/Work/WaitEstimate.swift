import Foundation

/// How long a waiting customer is likely to wait, as a range.
package struct WaitEstimate: Sendable, Hashable, Codable {
    /// The most likely wait, in seconds.
    package var seconds: Double
    /// The range shown to the customer: about four waits in five fall inside it.
    package var low: Double
    package var high: Double

    package init(seconds: Double, low: Double, high: Double) {
        self.seconds = seconds
        self.low = low
        self.high = high
    }

    /// The range in whole minutes, rounded outwards and never collapsed to one number; a low
    /// end of 0 is said as "within N minutes".
    package var minutes: (low: Int, high: Int) {
        let low = max(0, Int((low / 60).rounded(.down)))
        return (low, max(low + 1, Int((high / 60).rounded(.up))))
    }

    /// "2–5 minutes" or, when it may be under a minute, "within 2 minutes", in `chinese` or English.
    package func phrase(chinese: Bool) -> String {
        let (low, high) = minutes
        if low == 0 { return chinese ? "\(high) 分钟以内" : "within \(high) minute\(high == 1 ? "" : "s")" }
        return chinese ? "\(low)–\(high) 分钟" : "within \(low)–\(high) minutes"
    }
}

/// Estimates a queued conversation's wait from its place in line and the service the
/// eligible agents give.
///
/// Every slot (an online agent's capacity for that kind of work) frees up at rate
/// 1 / handle time, so with `c` slots the line moves at `c / handle` conversations a second.
/// A customer with `ahead` conversations before them waits for `ahead + 1` departures
/// (an Erlang distribution, the queueing delay of Erlang C's M/M/c model at a given
/// position), plus the time an agent takes to answer an offer. Slots that are free now
/// but could not take the conversation are left out, so the estimate rises when the agents
/// who could serve it are busy or away, as Rocket.Chat's does not.
package enum WaitEstimator {
    /// - Parameters:
    ///   - ahead: conversations before this one that the same agents would serve.
    ///   - slots: capacity of the eligible online agents for this kind of work.
    ///   - busySlots: how much of it is in use.
    ///   - handleTime: the recent mean time an agent holds a conversation, in seconds.
    ///   - answerTime: the recent mean time from an offer to the agent's first answer.
    /// - Returns: `nil` when no eligible agent is online: nobody can say.
    package static func estimate(ahead: Int, slots: Int, busySlots: Int, handleTime: Double, answerTime: Double) -> WaitEstimate? {
        guard slots > 0, handleTime > 0 else { return nil }
        let free = max(0, slots - busySlots)
        // Free slots take the first `free` in line at once; the rest wait for departures.
        let departures = ahead + 1 - free
        guard departures > 0 else {
            return WaitEstimate(seconds: answerTime, low: answerTime * 0.5, high: answerTime * 2 + 30)
        }
        let rate = Double(slots) / handleTime
        let median = erlangQuantile(shape: departures, rate: rate, probability: 0.5)
        let low = erlangQuantile(shape: departures, rate: rate, probability: 0.1)
        let high = erlangQuantile(shape: departures, rate: rate, probability: 0.9)
        return WaitEstimate(seconds: median + answerTime, low: low + answerTime * 0.5, high: high + answerTime * 2)
    }

    /// The `probability` quantile of an Erlang(`shape`, `rate`) distribution, by bisection on its CDF.
    package static func erlangQuantile(shape: Int, rate: Double, probability: Double) -> Double {
        var low = 0.0
        var high = max(1, Double(shape) / rate)
        while erlangCDF(shape: shape, rate: rate, at: high) < probability { high *= 2 }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if erlangCDF(shape: shape, rate: rate, at: middle) < probability { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// P(X ≤ x) = 1 − Σ_{n<k} e^{−λx}(λx)^n / n!, summed in logs so a long line does not overflow.
    package static func erlangCDF(shape: Int, rate: Double, at x: Double) -> Double {
        guard x > 0 else { return 0 }
        let lambdaX = rate * x
        var term = -lambdaX
        var sum = exp(term)
        if shape > 1 {
            for n in 1..<shape {
                term += log(lambdaX) - log(Double(n))
                sum += exp(term)
            }
        }
        return max(0, min(1, 1 - sum))
    }
}

/// The message that tells a waiting customer their place and wait, in their language.
package enum WaitMessage {
    package static func text(position: Int, estimate: WaitEstimate?, language: String?) -> String {
        let chinese = language == "zh" || language == "mix"
        if position <= 1 {
            guard let estimate else {
                return chinese
                    ? "您是下一位。目前没有客服在线，客服上线后会第一时间回复您。"
                    : "You are next in line. No agent is available right now; one will answer as soon as they are."
            }
            return chinese
                ? "您是下一位，预计等待 \(estimate.phrase(chinese: true))。"
                : "You are next in line; an agent usually answers \(estimate.phrase(chinese: false))."
        }
        guard let estimate else {
            return chinese
                ? "您前面还有 \(position - 1) 位。目前没有客服在线，客服上线后会第一时间回复您。"
                : "You are number \(position) in line. No agent is available right now; one will answer as soon as they are."
        }
        return chinese
            ? "您前面还有 \(position - 1) 位，预计等待 \(estimate.phrase(chinese: true))。"
            : "You are number \(position) in line; an agent usually answers \(estimate.phrase(chinese: false))."
    }

    /// Whether a new message is worth sending: the first one, or the place moved by at
    /// least a third (and by at least two), or the range changed.
    package static func worthUpdating(lastPosition: Int?, lastRange: String?, position: Int, range: String) -> Bool {
        guard let lastPosition else { return true }
        let moved = abs(lastPosition - position)
        return (moved >= 2 && Double(moved) >= Double(lastPosition) / 3) || (lastRange != range && moved >= 1)
    }
}
