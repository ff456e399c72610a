import Foundation
import HubCore
import Testing

/// The conversation state machine, eligibility, routing decisions and wait estimates.
@Suite struct WorkflowTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theStateMachineRefusesWhatItDoesNotAllowWithAReason() {
        #expect(ConversationStatus.queued.refusal(to: .open, assignee: 1, snoozedUntil: nil) == nil)
        #expect(ConversationStatus.queued.refusal(to: .open, assignee: nil, snoozedUntil: nil)?.contains("assignee") == true)
        #expect(ConversationStatus.open.refusal(to: .snoozed, assignee: 1, snoozedUntil: nil) == "snoozing needs snoozed_until")
        #expect(ConversationStatus.open.refusal(to: .snoozed, assignee: 1, snoozedUntil: now) == nil)
        #expect(ConversationStatus.resolved.refusal(to: .pending, assignee: 1, snoozedUntil: nil) != nil)
        #expect(ConversationStatus.closed.refusal(to: .open, assignee: 1, snoozedUntil: nil)?.contains("new one") == true)
        // People hand a conversation back to the bot (the store checks that its channel has one); a closed one stays closed.
        #expect(ConversationStatus.queued.refusal(to: .bot, assignee: nil, snoozedUntil: nil) == nil)
        #expect(ConversationStatus.open.refusal(to: .bot, assignee: 1, snoozedUntil: nil) == nil)
        #expect(ConversationStatus.closed.refusal(to: .bot, assignee: nil, snoozedUntil: nil) != nil)
        // Every status may stay what it is.
        for status in ConversationStatus.allCases { #expect(status.refusal(to: status, assignee: nil, snoozedUntil: nil) == nil) }
    }

    @Test func aCustomerMessageReopensWithinTheWindowWakesAndOtherwiseStartsANewConversation() {
        let window: TimeInterval = 3600
        let resolved = now.addingTimeInterval(-600)
        #expect(
            ConversationStatus.resolved.customerWrote(at: now, resolvedAt: resolved, reopenWindow: window, hasAssignee: true)
                == .join(.open))
        #expect(
            ConversationStatus.resolved.customerWrote(at: now, resolvedAt: resolved, reopenWindow: window, hasAssignee: false)
                == .join(.queued))
        #expect(
            ConversationStatus.resolved.customerWrote(
                at: now, resolvedAt: now.addingTimeInterval(-7200), reopenWindow: window, hasAssignee: true)
                == .startNew)
        #expect(
            ConversationStatus.closed.customerWrote(at: now, resolvedAt: resolved, reopenWindow: window, hasAssignee: true) == .startNew)
        #expect(ConversationStatus.snoozed.customerWrote(at: now, resolvedAt: nil, reopenWindow: window, hasAssignee: true) == .join(.open))
        #expect(
            ConversationStatus.pending.customerWrote(at: now, resolvedAt: nil, reopenWindow: window, hasAssignee: false) == .join(.queued))
        #expect(
            ConversationStatus.queued.customerWrote(at: now, resolvedAt: nil, reopenWindow: window, hasAssignee: false) == .join(.queued))
    }

    func work(
        _ id: Int64, channel: String = "sms", language: String? = "zh", priority: ConversationPriority = .normal, queuedAt: Double = 0
    )
        -> WorkItem
    {
        WorkItem(
            conversationID: id, channelID: channel, kind: channel == "web" ? .chat : .async, language: language, priority: priority,
            queuedAt: now.addingTimeInterval(queuedAt))
    }

    @Test func eligibilityNeedsOnlineCapacityTeamAndSkills() {
        let queue = QueueConfig(id: "zh", team: "cn")
        let item = work(1)
        let agent = RoutableAgent(
            id: 1, presence: .online, teams: ["cn"], skills: Skills(languages: ["zh"]), capacity: Capacity(chat: 1, async: 2))
        #expect(agent.isEligible(for: item, in: queue))
        var away = agent
        away.presence = .away
        #expect(!away.isEligible(for: item, in: queue))
        var full = agent
        full.load = [.async: 2]
        #expect(!full.isEligible(for: item, in: queue))
        var english = agent
        english.skills = Skills(languages: ["en"])
        #expect(!english.isEligible(for: item, in: queue))
        #expect(english.isEligible(for: work(2, language: "mix"), in: queue))
        var otherTeam = agent
        otherTeam.teams = ["en"]
        #expect(!otherTeam.isEligible(for: item, in: queue))
        var inactive = agent
        inactive.active = false
        #expect(!inactive.isEligible(for: item, in: queue))
    }

    @Test func leastLoadedOffersToTheLeastOccupiedAndNeverOverfills() {
        let planner = RoutingPlanner(queues: [QueueConfig(id: "all")])
        let agents = [
            RoutableAgent(id: 1, presence: .online, capacity: Capacity(chat: 2, async: 4), load: [.async: 2]),
            RoutableAgent(id: 2, presence: .online, capacity: Capacity(chat: 2, async: 4), load: [.async: 0]),
            RoutableAgent(id: 3, presence: .offline, capacity: Capacity(chat: 2, async: 4)),
        ]
        let waiting = (1...10).map { work(Int64($0), queuedAt: Double($0)) }
        let plan = planner.plan(waiting: waiting, agents: agents, now: now)
        // Agent 2 takes two first (it was emptier), then they alternate until both are full: 2 + 4 = 6 offers.
        #expect(plan.count == 6)
        #expect(plan.filter { $0.agentID == 1 }.count == 2)
        #expect(plan.filter { $0.agentID == 2 }.count == 4)
        #expect(!plan.contains { $0.agentID == 3 })
        #expect(plan.map(\.conversationID) == [1, 2, 3, 4, 5, 6])
    }

    @Test func higherPriorityIsServedFirstThenTheLongestWaiting() {
        let planner = RoutingPlanner(queues: [QueueConfig(id: "all")])
        let order = planner.servingOrder([work(1, queuedAt: 0), work(2, priority: .urgent, queuedAt: 50), work(3, queuedAt: -10)])
        #expect(order.map(\.conversationID) == [2, 3, 1])
    }

    @Test func roundRobinTakesTheAgentIdleLongestAndALapsedOfferGoesToSomeoneElse() {
        let queue = QueueConfig(id: "rr", policy: .roundRobin)
        let planner = RoutingPlanner(queues: [queue])
        let agents = [
            RoutableAgent(id: 1, presence: .online, lastAssignedAt: now.addingTimeInterval(-10)),
            RoutableAgent(id: 2, presence: .online, lastAssignedAt: now.addingTimeInterval(-100)),
        ]
        #expect(planner.choose(for: work(1), in: queue, among: agents) == 1)
        var declined = work(1)
        declined.declinedBy = [2]
        #expect(planner.choose(for: declined, in: queue, among: agents) == 0)
        #expect(planner.plan(waiting: [work(1)], agents: agents, now: now).isEmpty == false)
        #expect(RoutingPlanner(queues: [QueueConfig(id: "m", policy: .manual)]).plan(waiting: [work(1)], agents: agents, now: now).isEmpty)
    }

    @Test func queuesMatchInPriorityOrderAndTheLastCatchesTheRest() {
        let settings = RoutingSettings(queues: [
            QueueConfig(id: "zh", match: QueueMatch(languages: ["zh"])),
            QueueConfig(id: "vip", match: QueueMatch(labels: ["vip"]), priority: 10),
            QueueConfig(id: "rest"),
        ])
        let planner = RoutingPlanner(settings: settings)
        var vip = work(1)
        vip.labels = ["vip"]
        #expect(planner.queue(for: vip).id == "vip")
        #expect(planner.queue(for: work(2)).id == "zh")
        #expect(planner.queue(for: work(3, language: "en")).id == "rest")
        #expect(RoutingPlanner(settings: RoutingSettings()).queue(for: work(4)).id == "default")
    }

    @Test func theWaitEstimateGrowsWithTheLineAndShrinksWithAgents() throws {
        let short = try #require(WaitEstimator.estimate(ahead: 2, slots: 4, busySlots: 4, handleTime: 600, answerTime: 30))
        let long = try #require(WaitEstimator.estimate(ahead: 20, slots: 4, busySlots: 4, handleTime: 600, answerTime: 30))
        let staffed = try #require(WaitEstimator.estimate(ahead: 20, slots: 40, busySlots: 40, handleTime: 600, answerTime: 30))
        #expect(short.seconds < long.seconds)
        #expect(staffed.seconds < long.seconds)
        #expect(short.low < short.seconds && short.seconds < short.high)
        // Three departures at 4 / 600 s: the median of Erlang(3, 1/150) is about 2.67 × 150 s.
        #expect(abs((short.seconds - 30) - 401) < 5)
        #expect(WaitEstimator.estimate(ahead: 3, slots: 0, busySlots: 0, handleTime: 600, answerTime: 30) == nil)
        let free = try #require(WaitEstimator.estimate(ahead: 0, slots: 4, busySlots: 1, handleTime: 600, answerTime: 30))
        #expect(free.seconds == 30)
        // The Erlang CDF at its own median quantile is one half.
        let median = WaitEstimator.erlangQuantile(shape: 5, rate: 0.01, probability: 0.5)
        #expect(abs(WaitEstimator.erlangCDF(shape: 5, rate: 0.01, at: median) - 0.5) < 1e-6)
    }

    @Test func theWaitMessageSpeaksTheCustomersLanguageAndUpdatesOnlyOnABigMove() {
        let estimate = WaitEstimate(seconds: 200, low: 120, high: 290)
        #expect(
            WaitMessage.text(position: 3, estimate: estimate, language: "en")
                == "You are number 3 in line; an agent usually answers within 2–5 minutes.")
        #expect(WaitMessage.text(position: 4, estimate: estimate, language: "zh") == "您前面还有 3 位，预计等待 2–5 分钟。")
        #expect(WaitMessage.text(position: 1, estimate: nil, language: "en").contains("No agent is available"))
        // A wait that may be under a minute is not promised as "1–2 minutes".
        let short = WaitEstimate(seconds: 20, low: 5, high: 70)
        #expect(
            WaitMessage.text(position: 2, estimate: short, language: "en")
                == "You are number 2 in line; an agent usually answers within 2 minutes.")
        #expect(WaitMessage.text(position: 1, estimate: short, language: "zh") == "您是下一位，预计等待 2 分钟以内。")
        #expect(WaitMessage.worthUpdating(lastPosition: nil, lastRange: nil, position: 5, range: "2-5"))
        #expect(!WaitMessage.worthUpdating(lastPosition: 9, lastRange: "2-5", position: 8, range: "2-5"))
        #expect(WaitMessage.worthUpdating(lastPosition: 9, lastRange: "2-5", position: 5, range: "2-5"))
        #expect(LanguageGuess.of("我的订单 #1042 到哪了") == "zh")
        #expect(LanguageGuess.of("where is my order") == "en")
        #expect(LanguageGuess.of("亲 我的order还没ship吗") == "mix")
        #expect(LanguageGuess.of("单号SF1234567890123到哪了") == "zh")
        #expect(LanguageGuess.of("😊") == nil)
    }

    @Test func cannedResponsesFillTheirVariablesAndNeverShowBraces() {
        let text = CannedResponse.render(
            "Hi {{customer.name}}, order {{ order.number }} is on its way. — {{agent.name}} {{unknown}}",
            values: ["customer.name": "李雷", "order.number": "#1042", "agent.name": "Bo"])
        #expect(text == "Hi 李雷, order #1042 is on its way. — Bo ")
        #expect(CannedResponse.render("unclosed {{customer.name", values: [:]) == "unclosed {{customer.name")
    }

    @Test func rolesGrantWhatReadmesMatrixSays() {
        #expect(Role.admin.permissions == Set(Permission.allCases))
        #expect(!Role.supervisor.permissions.contains(.agentsManage))
        #expect(!Role.agent.permissions.contains(.conversationsAssign))
        let readOnly = Role.auditor.permissions.allSatisfy { $0.isReadOnly }
        #expect(readOnly)
        #expect(!Role.auditor.permissions.contains(.conversationsWrite))
    }
}
