import Foundation
import HubCore
import HubStorage
import Testing

/// The bot's tables: a bot channel's conversations start with the bot, a turn's context holds
/// the orders of every merged identity, a decision is stored once with its reply and state, a
/// hand-off queues the conversation with a summary, and an action started is never run twice.
@Suite struct BotStorageTests {
    static let phone = "+8613800138000"

    struct Setup {
        var apply: DirectApply
        var bot: BotStore
        var analyses: AnalysisStore
    }

    func setup(_ test: TestDatabase) -> Setup {
        let workflow = WorkflowPolicy(awaitsAnalysis: true, bots: ["sms": BotStart(settings: BotSettings(), calendar: nil)])
        return Setup(
            apply: DirectApply(database: test.database, policy: IdentityPolicy(IdentitySettings(defaultRegion: "CN")), workflow: workflow),
            bot: BotStore(database: test.database), analyses: AnalysisStore(database: test.database))
    }

    func say(_ text: String, id: String, _ setup: Setup, now: Date = Date()) async throws -> (ConversationID, MessageID) {
        let message = InboundMessage(
            providerMessageID: id, threadKey: Self.phone, identities: [IdentityHint(kind: .phone, value: Self.phone, verified: true)],
            senderName: nil, parts: [.text(text)], sentAt: now)
        let outcome = try await setup.apply.apply([.message(message)], channelID: "sms", now: now)
        let page = try await setup.analyses.pending(limit: 10)
        try await setup.analyses.record(
            page.messages.map { AnalysisOutcome(message: $0, analysis: AssistStorageTests.analysis("order_status"), optOut: false) },
            through: page.next, now: now)
        return (try #require(outcome.conversationID), try #require(outcome.messageIDs.first))
    }

    static func order(_ id: String, phone: String = phone) -> OrderSnapshot {
        OrderSnapshot(
            orderID: id, name: "#\(id)", createdAt: Date(), shopUpdatedAt: Date(), financialStatus: "paid",
            fulfillmentStatus: "unfulfilled",
            cancelledAt: nil, currency: "CNY", totalPrice: "89.00",
            customerIdentities: [IdentityHint(kind: .phone, value: phone, verified: true)],
            customerName: nil, lineItems: [OrderLineItem(title: "Desk lamp", sku: nil, quantity: 1, price: "89.00")], fulfillments: [])
    }

    func record(_ messageID: MessageID, _ conversationID: ConversationID, reply: String, handoff: String? = nil) -> BotTurnRecord {
        BotTurnRecord(
            messageID: messageID, conversationID: conversationID, intent: "order_status", handoff: handoff,
            summary: handoff.map { "Bot hand-off: \($0)" }, reply: [.text(reply)], stateJSON: #"{"failed_turns":0}"#, citationsJSON: "[]",
            groundingJSON: "{}", raisePriority: handoff == "angry")
    }

    @Test func aTurnIsReadWithTheCustomersOrdersAndStoredOnce() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let setup = setup(test)
        _ = try await setup.apply.apply([.order(Self.order("1042"))], channelID: "shop", now: Date())
        _ = try await setup.apply.apply([.order(Self.order("2001", phone: "+8613900000000"))], channelID: "shop", now: Date())
        let (conversation, message) = try await say("where is my order", id: "SM1", setup)
        let pending = try await setup.bot.pending(limit: 10)
        #expect(pending.turns.map(\.messageID) == [message])
        let context = try #require(try await setup.bot.context(messageID: message))
        #expect(context.status == .bot, "a bot channel's conversation starts with the bot")
        #expect(context.orders.map(\.orderID) == ["1042"], "the customer's orders, never anyone else's")
        #expect(context.analysis?.intent == "order_status" && context.stateJSON == nil && !context.decided)

        let stored = try await setup.bot.record(
            record(message, conversation, reply: "Order #1042 is paid."), cursor: pending.next,
            capabilities: { _ in nil }, now: Date())
        #expect(stored.replyMessageID != nil && !stored.quiet)
        let again = try await setup.bot.record(
            record(message, conversation, reply: "Order #1042 is paid."), cursor: pending.next,
            capabilities: { _ in nil }, now: Date())
        #expect(again.quiet && again.replyMessageID == nil, "a repeated turn answers nothing twice")
        #expect(try await setup.bot.pending(limit: 10).turns.isEmpty)
        let messages = try await ConversationStore(database: test.database).messages(conversationID: conversation, after: nil, limit: 10)
        #expect(messages.filter { $0.author.role == .bot }.map(\.text) == ["Order #1042 is paid."])
        let next = try #require(try await setup.bot.context(messageID: message))
        #expect(next.decided && next.stateJSON == #"{"failed_turns":0}"#)

        // The next turn sees what the bot said last.
        let (_, second) = try await say("and when does it ship?", id: "SM2", setup)
        let followUp = try #require(try await setup.bot.context(messageID: second))
        #expect(followUp.lastBotText == "Order #1042 is paid." && followUp.earlierCustomerTexts == ["where is my order"])
    }

    @Test func aHandOffQueuesTheConversationWithASummaryAndRaisesAnAngryOne() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let setup = setup(test)
        let (conversation, message) = try await say("THIS IS RIDICULOUS", id: "SM1", setup)
        _ = try await setup.bot.record(
            record(message, conversation, reply: "A colleague is coming.", handoff: "angry"), cursor: nil,
            capabilities: { _ in nil }, now: Date())
        let item = try #require(try await WorkStore(database: test.database, teams: []).item(conversation, now: Date()))
        #expect(item.status == .queued && item.priority == .high)
        let notes = try await WorkStore(database: test.database, teams: []).notes(conversation)
        #expect(notes.map(\.author) == ["bot"] && notes[0].text == "Bot hand-off: angry")
        let events = try await EventStore(database: test.database).events(after: 0, types: ["bot.handoff"], limit: 10)
        #expect(events.events.count == 1 && events.events[0].data.contains(#""reason":"angry""#))

        // People have it now: a later turn is stored quietly, with nothing said.
        let (_, later) = try await say("hello?", id: "SM2", setup)
        let quiet = try await setup.bot.record(
            record(later, conversation, reply: "Hi!"), cursor: nil, capabilities: { _ in nil }, now: Date())
        #expect(quiet.quiet && quiet.replyMessageID == nil)
    }

    @Test func anActionStartedIsNeverStartedAgain() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let setup = setup(test)
        let (conversation, message) = try await say("yes", id: "SM1", setup)
        let action = #"{"kind":"cancel","order":"1042"}"#
        #expect(
            try await setup.bot.beginAction(
                messageID: message, conversationID: conversation, intent: "cancel_order", actionJSON: action, stateJSON: "{}", now: Date()))
        #expect(
            !(try await setup.bot.beginAction(
                messageID: message, conversationID: conversation, intent: "cancel_order", actionJSON: action, stateJSON: "{}", now: Date()))
        )
        // The hub stopped before the shop's answer was stored: the next run finds it unfinished.
        let context = try #require(try await setup.bot.context(messageID: message))
        #expect(!context.decided && context.unfinishedAction == action)
        var finished = record(message, conversation, reply: "Done: order #1042 is cancelled.")
        finished.actionJSON = action
        finished.actionOutcome = "done"
        finished.actionSummary = "Bot cancelled order #1042"
        let stored = try await setup.bot.record(finished, cursor: nil, capabilities: { _ in nil }, now: Date())
        #expect(stored.replyMessageID != nil)
        #expect(try #require(try await setup.bot.context(messageID: message)).decided)
        let events = try await EventStore(database: test.database).events(after: 0, types: ["bot.action"], limit: 10)
        #expect(events.events.count == 1 && events.events[0].data.contains(#""outcome":"done""#))
    }

    @Test func aConversationOnlyTheBotHandledGoesBackToTheBotWhenReopened() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let setup = setup(test)
        let (conversation, _) = try await say("hi", id: "SM1", setup)
        let work = WorkStore(database: test.database, teams: [])
        var changes = ConversationChanges()
        changes.status = .resolved
        _ = try await work.update(conversation, changes, actor: "test", now: Date())
        let (again, _) = try await say("one more question", id: "SM2", setup)
        #expect(again == conversation)
        #expect(try #require(try await work.item(conversation, now: Date())).status == .bot)
    }
}
