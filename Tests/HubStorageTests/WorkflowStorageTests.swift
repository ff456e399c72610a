import Foundation
import HubCore
import HubStorage
import Testing

/// The workflow in SQLite: reopening and new conversations on one thread, routing rounds,
/// lapsed offers, agents who go away, racing claims, and login throttling.
@Suite struct WorkflowStorageTests {
    static let kinds: [ChannelID: WorkKind] = ["sms": .async, "web": .chat]

    @Sendable static func sms(_ id: String, _ text: String) -> [InboundEvent] {
        [
            .message(
                InboundMessage(
                    providerMessageID: id, threadKey: "+14155550123",
                    identities: [IdentityHint(kind: .phone, value: "+14155550123", verified: true)], senderName: "Li",
                    parts: [.text(text)], sentAt: Date()))
        ]
    }

    func ingest(_ inbox: InboxStore, _ id: String, _ text: String) async throws -> ConversationID {
        let envelope = InboxEnvelope(channelID: "sms", dedupeKey: id, contentType: nil, payload: [], receivedAt: Date())
        guard case .accepted(let result, _) = try await inbox.ingest(envelope, decode: { _ in Self.sms(id, text) }),
            let conversation = result.conversationID
        else { throw TestFailure("message \(id) was not processed") }
        return conversation
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func agent(_ store: AgentStore, _ email: String, teams: [String] = [], online: Bool = true) async throws -> AgentView {
        let created = try await store.create(
            NewAgentAccount(
                email: email, name: email, role: .agent, passwordHash: "x", teams: teams, skills: Skills(),
                capacity: Capacity(chat: 2, async: 2)), now: Date())
        if online { _ = try await store.setPresence(id: created.id, .online, actor: "test", now: Date()) }
        return created
    }

    @Test func resolvedReopensToTheOnlineAgentAClosedOneGivesWayToANewConversation() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer, workflow: WorkflowPolicy(reopenWindow: 3600))
            let agents = AgentStore(database: test.database)
            let work = WorkStore(database: test.database, teams: [])
            let routing = RoutingStore(database: test.database, settings: RoutingSettings(), kinds: Self.kinds)
            let ada = try await agent(agents, "ada@example.com")
            let first = try await ingest(inbox, "SM1", "I need a person")
            #expect(try await work.item(first, now: Date())?.status == .queued)
            let round = try await routing.round(now: Date())
            #expect(round.assignments.map(\.agentID) == [ada.id])
            #expect(try await work.item(first, now: Date())?.status == .open)
            let resolved = try await work.update(first, ConversationChanges(status: .resolved), actor: "agent:1", now: Date())
            #expect((try? resolved?.get())?.status == .resolved)
            #expect(try await ingest(inbox, "SM2", "one more thing") == first)
            let reopened = try await work.item(first, now: Date())
            #expect(reopened?.status == .open && reopened?.assignee == ada.id)
            _ = try await work.update(first, ConversationChanges(status: .closed), actor: "agent:1", now: Date())
            let second = try await ingest(inbox, "SM3", "hello again")
            #expect(second != first)
            #expect(try await work.item(second, now: Date())?.status == .queued)
            #expect(try await work.item(first, now: Date())?.status == .closed)
            // The thread now continues the new conversation.
            #expect(try await ingest(inbox, "SM4", "still there?") == second)
        }
    }

    @Test func anAgentWhoGoesAwayGivesWorkBackAndALapsedOfferGoesToSomeoneElse() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let agents = AgentStore(database: test.database)
            let work = WorkStore(database: test.database, teams: [])
            let settings = RoutingSettings(queues: [QueueConfig(id: "all", answerWithin: .seconds(60))])
            let routing = RoutingStore(database: test.database, settings: settings, kinds: Self.kinds)
            let ada = try await agent(agents, "ada@example.com")
            let conversation = try await ingest(inbox, "SM1", "hello")
            let now = Date()
            #expect(try await routing.round(now: now).assignments.first?.agentID == ada.id)
            _ = try await agents.setPresence(id: ada.id, .away, actor: "test", now: now)
            let back = try await work.item(conversation, now: now)
            #expect(back?.status == .queued && back?.assignee == nil)
            // Nobody online: nothing is offered, and a late offer to an offline agent never happens.
            #expect(try await routing.round(now: now).assignments.isEmpty)
            let bo = try await agent(agents, "bo@example.com")
            _ = try await agents.setPresence(id: ada.id, .online, actor: "test", now: now)
            let offered = try await routing.round(now: now).assignments.first
            #expect(offered != nil)
            // The offer lapses after answer_within; the next round offers it to the other agent.
            let later = now.addingTimeInterval(61)
            let lapsed = try await routing.round(now: later)
            #expect(lapsed.returned == 1)
            #expect(lapsed.assignments.first.map { $0.agentID != offered?.agentID } == true)
            #expect(Set([ada.id, bo.id]).contains(lapsed.assignments.first?.agentID ?? -1))
        }
    }

    @Test func fiftyConcurrentClaimsHaveExactlyOneWinner() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let agents = AgentStore(database: test.database)
            let routing = RoutingStore(
                database: test.database, settings: RoutingSettings(queues: [QueueConfig(id: "manual", policy: .manual)]), kinds: Self.kinds)
            var ids: [Int64] = []
            for index in 0..<50 { ids.append(try await agent(agents, "agent\(index)@example.com").id) }
            let conversation = try await ingest(inbox, "SM1", "hello")
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for id in ids {
                    group.addTask {
                        if case .success = try await routing.claim(conversationID: conversation, agentID: id, now: Date()) { return true }
                        return false
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(outcomes.count == 50)
        }
    }

    @Test func failedLoginsSlowDownFromTheFifthAndLockAtTheTenth() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let agents = AgentStore(database: test.database)
        let ada = try await agent(agents, "ada@example.com", online: false)
        let now = Date()
        var waits: [TimeInterval?] = []
        for attempt in 1...10 {
            let (failures, locked) = try await agents.recordFailedLogin(id: ada.id, now: now)
            #expect(failures == attempt)
            #expect(locked == (attempt == 10))
            waits.append(try await agents.credentials(id: ada.id)?.loginAllowedAt.map { $0.timeIntervalSince(now).rounded() })
        }
        #expect(waits.prefix(4).allSatisfy { $0 == nil })
        #expect(waits[4] == 1 && waits[5] == 2 && waits[6] == 4 && waits[7] == 8)
        #expect(try await agents.agent(id: ada.id)?.locked == true)
        #expect(try await agents.resetPassword(id: ada.id, hash: "y", now: now))
        #expect(try await agents.agent(id: ada.id)?.locked == false)
    }
}
