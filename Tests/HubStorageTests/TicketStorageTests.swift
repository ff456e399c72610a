import Foundation
import HubCore
import HubStorage
import Testing

/// Tickets in SQLite: rules open them, a quoted number joins a message from another channel,
/// agent replies meet targets, pauses stop the clock, warnings and breaches fire once on a
/// controlled clock, follow-ups, surveys, auto-closing, merging and the workflow's refusals.
@Suite struct TicketStorageTests {
    static let phone = "+8613800138000"
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func message(_ text: String, id: String, phone: String = phone, at: Date) -> [InboundEvent] {
        [
            .message(
                InboundMessage(
                    providerMessageID: id, threadKey: phone, identities: [IdentityHint(kind: .phone, value: phone, verified: true)],
                    senderName: nil, parts: [.text(text)], sentAt: at))
        ]
    }

    static func settings(_ change: (inout TicketSettings) -> Void = { _ in }) -> TicketSettings {
        var settings = TicketSettings()
        settings.autoCreate = [TicketRuleCondition(channels: ["sms"])]
        settings.policies = [
            SLAPolicy(
                id: "standard", targets: [.firstResponse: 1_800, .nextResponse: 3_600, .resolution: 86_400], warning: .before(seconds: 600))
        ]
        change(&settings)
        return settings
    }

    func store(_ test: TestDatabase, _ settings: TicketSettings = settings()) -> TicketStore {
        TicketStore(database: test.database, setup: SLASetup(settings: settings, calendars: []), teams: ["care"])
    }

    func apply(_ test: TestDatabase) -> DirectApply {
        DirectApply(database: test.database, policy: IdentityPolicy(IdentitySettings(defaultRegion: "CN")))
    }

    func drain(_ store: TicketStore, now: Date) async throws {
        while try await store.follow(now: now) {}
    }

    func events(_ test: TestDatabase, _ type: HubEventType) throws -> [String] {
        try test.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM event WHERE type = ? ORDER BY seq", arguments: [type.rawValue])
        }
    }

    @Test func aRuleOpensATicketAndAQuotedNumberJoinsFromAnotherChannelOfTheSameCustomerOnly() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test)
        let apply = apply(test)
        let first = try await apply.apply(
            Self.message("the parcel arrived broken", id: "SM1", at: Self.start), channelID: "sms", now: Self.start)
        try await drain(tickets, now: Self.start)
        let page = try await tickets.list(TicketFilter(), viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: Self.start)
        let ticket = try #require(page.items.first)
        #expect(page.items.count == 1)
        #expect(ticket.number == "T-000001")
        #expect(ticket.subject == "the parcel arrived broken")
        #expect(ticket.conversations == [try #require(first.conversationID)])
        #expect(ticket.createdBy == "rule")

        // The same person (same phone) on web chat, quoting the number: joins, no new ticket (web has no rule anyway).
        let later = Self.start.addingTimeInterval(60)
        let web = try await apply.apply(Self.message("photo for T-000001 attached", id: "W1", at: later), channelID: "web", now: later)
        // Someone else quoting it does not join.
        let stranger = try await apply.apply(
            Self.message("what about T-000001?", id: "W2", phone: "+8613900000000", at: later), channelID: "web", now: later)
        try await drain(tickets, now: later)
        let joined = try #require(try await tickets.ticket(ticket.id, now: later))
        #expect(joined.conversations.sorted() == [first.conversationID!, web.conversationID!].sorted())
        #expect(!joined.conversations.contains(stranger.conversationID!))
        // A second message on the first conversation joins through the open ticket, no second ticket.
        _ = try await apply.apply(Self.message("any news?", id: "SM2", at: later), channelID: "sms", now: later)
        try await drain(tickets, now: later)
        let all = try await tickets.list(TicketFilter(), viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: later)
        #expect(all.items.count == 1)
        #expect(try events(test, .ticketCreated).count == 1)
    }

    @Test func theClockPausesWhilePendingAndTheWarningAndBreachFireOnceEach() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test)
        let apply = apply(test)
        let agents = AgentStore(database: test.database)
        let agent = try await agents.create(
            NewAgentAccount(
                email: "li@example.cn", name: "Li", role: .agent, passwordHash: "x", teams: ["care"], skills: Skills(),
                capacity: Capacity(chat: 2, async: 2)), now: Self.start)
        let conversation = try #require(
            try await apply.apply(Self.message("hello", id: "W0", at: Self.start), channelID: "web", now: Self.start).conversationID)
        let customer = try #require(try await tickets.customer(ofConversation: conversation))
        var new = NewTicket(subject: "Refund for a broken vase", customerID: customer)
        new.assignee = agent.id
        let created = try await tickets.create(new, conversationID: nil, orders: [], actor: "agent:\(agent.id)", now: Self.start)
        guard case .success(let ticket) = created else {
            Issue.record("create refused: \(created)")
            return
        }
        let first = try #require(ticket.sla?.firstResponse)
        #expect(first.state == .running)
        #expect(first.dueAt == Self.start.addingTimeInterval(1_800))
        #expect(first.warnAt == Self.start.addingTimeInterval(1_200))

        func at(_ minutes: Double) -> Date { Self.start.addingTimeInterval(minutes * 60) }
        #expect(try await tickets.pass(now: at(19)).warnings == 0)
        #expect(try await tickets.pass(now: at(21)).warnings == 1)
        let soon = try await tickets.list(
            {
                var filter = TicketFilter()
                filter.sla = .dueSoon
                return filter
            }(), viewer: Viewer(agentID: nil, teams: [], seesAll: true),
            now: at(21))
        #expect(soon.items.map(\.id) == [ticket.id])
        #expect(soon.items.first?.sla?.firstResponse?.remainingSeconds == 540)
        #expect(try await tickets.pass(now: at(22)).warnings == 0)
        var pending = TicketChanges()
        pending.status = .pending
        _ = try await tickets.update(ticket.id, pending, actor: "agent:\(agent.id)", now: at(25))
        // Paused: 25 of 30 minutes used, nothing is due however long it waits.
        #expect(try await tickets.pass(now: at(120)).breaches == 0)
        let paused = try #require(try await tickets.ticket(ticket.id, now: at(120))?.sla?.firstResponse)
        #expect(paused.state == .paused)
        #expect(paused.remainingSeconds == 300)
        var open = TicketChanges()
        open.status = .open
        _ = try await tickets.update(ticket.id, open, actor: "agent:\(agent.id)", now: at(120))
        let resumed = try #require(try await tickets.ticket(ticket.id, now: at(121))?.sla)
        #expect(resumed.firstResponse?.dueAt == at(125))
        #expect(resumed.pauses == [SLAPause(status: .pending, from: at(25), to: at(120))])
        #expect(try await tickets.pass(now: at(125)).breaches == 0)
        #expect(try await tickets.pass(now: at(125.02)).breaches == 1)
        #expect(try await tickets.pass(now: at(126)).breaches == 0)
        #expect(try events(test, .slaBreached).count == 1)
        #expect(try events(test, .slaWarning).count == 1)
        let notes = try await tickets.notifications(agentID: agent.id, unreadOnly: true, limit: 10)
        #expect(notes.map(\.kind) == ["sla.breached", "sla.warning"])
        let breached = try await tickets.list(
            {
                var filter = TicketFilter()
                filter.sla = .breached
                return filter
            }(), viewer: Viewer(agentID: nil, teams: [], seesAll: true),
            now: at(126))
        #expect(breached.items.map(\.id) == [ticket.id])
        // A restart recomputes every clock from the facts, and the breach is not raised again.
        #expect(try await tickets.invalidateClocks() == 1)
        let again = try await tickets.pass(now: at(130))
        #expect(again.recomputed == 1 && again.breaches == 0 && again.warnings == 0)
    }

    @Test func anAgentReplyMeetsTheFirstResponseAndABotReplyDoesNot() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test)
        try await withWriter(test.database) { writer in
            let apply = DirectApply(database: test.database, policy: IdentityPolicy(IdentitySettings(defaultRegion: "CN")))
            let outbox = OutboxStore(database: test.database, writer: writer)
            let conversation = try #require(
                try await apply.apply(Self.message("my order is late", id: "SM1", at: Self.start), channelID: "sms", now: Self.start)
                    .conversationID)
            try await drain(tickets, now: Self.start)
            let bot = Self.start.addingTimeInterval(60)
            _ = try await outbox.enqueueReply(
                conversationID: conversation, parts: [.text("Let me check")], author: Author(role: .bot), capabilities: { _ in nil },
                now: bot)
            try await drain(tickets, now: bot)
            let afterBot = try #require(try await tickets.ticket(1, now: bot))
            #expect(afterBot.status == .new)
            #expect(afterBot.sla?.firstResponse?.state == .running)
            let reply = Self.start.addingTimeInterval(600)
            _ = try await outbox.enqueueReply(
                conversationID: conversation, parts: [.text("It ships today")], author: Author(role: .agent, name: "Li"),
                capabilities: { _ in nil }, now: reply)
            try await drain(tickets, now: reply)
            let answered = try #require(try await tickets.ticket(1, now: reply))
            #expect(answered.status == .open)
            #expect(answered.sla?.firstResponse?.state == .met)
            #expect(answered.sla?.firstResponse?.metAt == reply)
            #expect(answered.sla?.nextResponse == nil)
            // The customer's next message starts a next-response cycle.
            let next = Self.start.addingTimeInterval(900)
            _ = try await apply.apply(Self.message("ok but when exactly?", id: "SM2", at: next), channelID: "sms", now: next)
            try await drain(tickets, now: next)
            let cycle = try #require(try await tickets.ticket(1, now: next)?.sla?.nextResponse)
            #expect(cycle.state == .running && cycle.cycle == 1 && cycle.dueAt == next.addingTimeInterval(3_600))
        }
    }

    @Test func solvingSendsASurveyWhoseAnswerIsStoredWithoutReopeningAndSilenceCloses() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test)
        let apply = apply(test)
        _ = try await apply.apply(Self.message("我的包裹坏了", id: "SM1", at: Self.start), channelID: "sms", now: Self.start)
        try await drain(tickets, now: Self.start)
        var solve = TicketChanges()
        solve.status = .solved
        let solvedAt = Self.start.addingTimeInterval(3_600)
        let solved = try await tickets.update(1, solve, actor: "agent:1", now: solvedAt)
        guard case .success(let ticket)? = solved else {
            Issue.record("solve refused: \(String(describing: solved))")
            return
        }
        #expect(ticket.survey?.state == "sent")
        let question = try await test.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT parts FROM message WHERE author_role = 'system' ORDER BY id DESC LIMIT 1")
        }
        #expect(question?.contains("1-5") == true)
        let answerAt = solvedAt.addingTimeInterval(120)
        _ = try await apply.apply(Self.message("5 很满意，谢谢", id: "SM2", at: answerAt), channelID: "sms", now: answerAt)
        try await drain(tickets, now: answerAt)
        let rated = try #require(try await tickets.ticket(1, now: answerAt))
        #expect(rated.status == .solved)
        #expect(rated.survey?.score == 5)
        #expect(rated.survey?.comment == "很满意，谢谢")
        #expect(try events(test, .ticketSurvey).count == 1)
        // Four days (the default) after solving with no reply, the ticket closes; closed refuses changes.
        #expect(try await tickets.pass(now: solvedAt.addingTimeInterval(4 * 86_400 - 1)).closed == 0)
        #expect(try await tickets.pass(now: solvedAt.addingTimeInterval(4 * 86_400 + 1)).closed == 1)
        var reopen = TicketChanges()
        reopen.status = .open
        let refused = try await tickets.update(1, reopen, actor: "agent:1", now: solvedAt.addingTimeInterval(5 * 86_400))
        guard case .failure(.transition)? = refused else {
            Issue.record("a closed ticket changed: \(String(describing: refused))")
            return
        }
    }

    @Test func aCustomerReplyReopensASolvedTicketAndFollowUpsComeBackOnTime() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test, Self.settings { $0.survey = false })
        let apply = apply(test)
        _ = try await apply.apply(Self.message("wrong size delivered", id: "SM1", at: Self.start), channelID: "sms", now: Self.start)
        try await drain(tickets, now: Self.start)
        var solve = TicketChanges()
        solve.status = .solved
        _ = try await tickets.update(1, solve, actor: "agent:1", now: Self.start.addingTimeInterval(600))
        let later = Self.start.addingTimeInterval(1_200)
        _ = try await apply.apply(Self.message("it is still wrong", id: "SM2", at: later), channelID: "sms", now: later)
        try await drain(tickets, now: later)
        let reopened = try #require(try await tickets.ticket(1, now: later))
        #expect(reopened.status == .open)
        #expect(reopened.sla?.resolution?.state == .running)

        var hold = TicketChanges()
        hold.status = .onHold
        hold.followUp = .some((at: later.addingTimeInterval(3_600), note: "call the courier"))
        _ = try await tickets.update(1, hold, actor: "agent:1", now: later)
        #expect(try await tickets.pass(now: later.addingTimeInterval(3_599)).followUps == 0)
        #expect(try await tickets.pass(now: later.addingTimeInterval(3_601)).followUps == 1)
        #expect(try await tickets.pass(now: later.addingTimeInterval(3_700)).followUps == 0)
        let back = try #require(try await tickets.ticket(1, now: later.addingTimeInterval(3_700)))
        #expect(back.status == .open)
        #expect(back.followUp?.firedAt == later.addingTimeInterval(3_601))
        let history = try #require(try await tickets.history(1))
        #expect(history.contains { $0.field == "status" && $0.old == "on_hold" && $0.new == "open" && $0.actor == "follow-up" })
        #expect(history.contains { $0.field == "status" && $0.old == "solved" && $0.new == "open" && $0.actor == "customer" })
    }

    @Test func badValuesAreRefusedAndMergingKeepsBothHistories() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        var settings = Self.settings()
        settings.fields = [TicketField(id: "courier", kind: .choice, options: ["SF", "YTO"], required: true)]
        let tickets = store(test, settings)
        let apply = apply(test)
        let conversation = try #require(
            try await apply.apply(Self.message("broken lamp", id: "SM1", at: Self.start), channelID: "sms", now: Self.start).conversationID)
        try await drain(tickets, now: Self.start)
        let customer = try #require(try await tickets.customer(ofConversation: conversation))
        var unknown = TicketChanges()
        unknown.fields = ["colour": .text("red")]
        guard case .failure(.invalid(let message))? = try await tickets.update(1, unknown, actor: "agent:1", now: Self.start) else {
            Issue.record("an unknown field was taken")
            return
        }
        #expect(message.contains("unknown field 'colour'"))
        var wrong = TicketChanges()
        wrong.fields = ["courier": .text("DHL")]
        guard case .failure(.invalid)? = try await tickets.update(1, wrong, actor: "agent:1", now: Self.start) else {
            Issue.record("an option outside the list was taken")
            return
        }
        var solve = TicketChanges()
        solve.status = .solved
        guard case .failure(.transition(let reason))? = try await tickets.update(1, solve, actor: "agent:1", now: Self.start) else {
            Issue.record("solved without the required field")
            return
        }
        #expect(reason.contains("courier"))
        var toNew = TicketChanges()
        toNew.status = .new
        _ = try await tickets.update(
            1,
            {
                var c = TicketChanges()
                c.status = .open
                return c
            }(), actor: "agent:1", now: Self.start)
        guard case .failure(.transition)? = try await tickets.update(1, toNew, actor: "agent:1", now: Self.start) else {
            Issue.record("moved back to new")
            return
        }
        guard
            case .failure(.invalid) = try await tickets.create(
                NewTicket(subject: "x", customerID: customer), conversationID: nil, orders: ["#9999"], actor: "agent:1", now: Self.start)
        else {
            Issue.record("an order of nobody was linked")
            return
        }
        #expect(try await tickets.ticket(2, now: Self.start) == nil)

        let second = try await tickets.create(
            NewTicket(subject: "Same lamp, second report", customerID: customer), conversationID: nil, orders: [], actor: "agent:1",
            now: Self.start)
        guard case .success(let duplicate) = second else {
            Issue.record("create refused")
            return
        }
        let merged = try await tickets.merge(duplicate.id, into: 1, actor: "agent:1", now: Self.start.addingTimeInterval(60))
        guard case .success(let survivor)? = merged else {
            Issue.record("merge refused: \(String(describing: merged))")
            return
        }
        #expect(survivor.number == "T-000001")
        let gone = try #require(try await tickets.ticket(duplicate.id, now: Self.start.addingTimeInterval(60)))
        #expect(gone.status == .closed && gone.mergedInto == "T-000001")
        #expect(try await tickets.history(duplicate.id)?.contains { $0.field == "merged_into" } == true)
        #expect(try await tickets.history(1)?.contains { $0.field == "merged_from" && $0.new == duplicate.number } == true)
        // A customer quoting the merged ticket's number lands on the survivor.
        let quote = Self.start.addingTimeInterval(120)
        let web = try await apply.apply(Self.message("re \(duplicate.number)", id: "W9", at: quote), channelID: "web", now: quote)
        try await drain(tickets, now: quote)
        #expect(try await tickets.ticket(1, now: quote)?.conversations.contains(web.conversationID!) == true)
    }

    @Test func theBotsHandOffOpensATicketWithTheConversation() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let tickets = store(test, Self.settings { $0.autoCreate = [] })
        let bots = BotStorageTests()
        let setup = bots.setup(test)
        let (conversation, message) = try await bots.say("THIS IS RIDICULOUS!!! where is my order", id: "SM1", setup)
        try await drain(tickets, now: Date())
        #expect(try await tickets.list(TicketFilter(), viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: Date()).items.isEmpty)
        _ = try await setup.bot.record(
            bots.record(message, conversation, reply: "A colleague is coming.", handoff: "angry"), cursor: nil, capabilities: { _ in nil },
            now: Date())
        try await drain(tickets, now: Date())
        let opened = try await tickets.list(TicketFilter(), viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: Date()).items
        #expect(opened.count == 1)
        #expect(opened.first?.createdBy == "bot" && opened.first?.conversations == [conversation])
        #expect(opened.first?.priority == .high, "an angry hand-off raised the conversation's priority, and the ticket takes it")
        // Replaying the log (an at-least-once consumer) opens nothing more.
        try await drain(tickets, now: Date())
        #expect(try events(test, .ticketCreated).count == 1)
    }
}
