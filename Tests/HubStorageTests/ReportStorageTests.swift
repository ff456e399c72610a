import Foundation
import HubCore
import HubStorage
import Testing

/// Reports over SQLite: agents' occupancy over a range from the load samples taken while they were
/// online, beside their occupancy now.
@Suite struct ReportStorageTests {
    @Test func occupancyOverARangeIsTheOnlineSamplesOpenWorkAgainstCapacity() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(database: test.database, writer: writer)
            let agents = AgentStore(database: test.database)
            let routing = RoutingStore(database: test.database, settings: RoutingSettings(), kinds: ["sms": .async])
            let work = WorkStore(database: test.database, teams: [])
            let capacity = Capacity(chat: 2, async: 2)
            let ada = try await agents.create(
                NewAgentAccount(
                    email: "ada@example.com", name: "Ada", role: .agent, passwordHash: "x", teams: [], skills: Skills(), capacity: capacity),
                now: Date())
            _ = try await agents.setPresence(id: ada.id, .online, actor: "test", now: Date())
            let bo = try await agents.create(
                NewAgentAccount(
                    email: "bo@example.com", name: "Bo", role: .agent, passwordHash: "x", teams: [], skills: Skills(), capacity: capacity),
                now: Date())
            let envelope = InboxEnvelope(channelID: "sms", dedupeKey: "SM1", contentType: nil, payload: [], receivedAt: Date())
            guard
                case .accepted(let result, _) = try await inbox.ingest(envelope, decode: { _ in WorkflowStorageTests.sms("SM1", "help") }),
                let conversation = result.conversationID
            else {
                Issue.record("the message was not processed")
                return
            }
            #expect(try await routing.round(now: Date()).assignments.map(\.agentID) == [ada.id])

            let sampler = AgentLoadSampler(database: test.database)
            let now = Date()
            // Ada online with one of four: 1/4; Bo is offline and not sampled.
            #expect(try await sampler.sample(at: now) == 1)
            _ = try await work.update(conversation, ConversationChanges(status: .resolved), actor: "agent:\(ada.id)", now: now)
            // Then with none: the range's occupancy is (1 + 0) / (4 + 4).
            #expect(try await sampler.sample(at: now) == 1)
            let aggregator = DurationAggregator(database: test.database) { start, end in end.timeIntervalSince(start) }
            while try await aggregator.pass() {}

            let report = try await ReportStore(database: test.database).answer(
                ReportRequest(
                    name: .agents, from: now.addingTimeInterval(-3600), to: now.addingTimeInterval(3600), grouping: .agent,
                    timeZone: TimeZone(identifier: "UTC")!))
            let adaRow = report.rows.first { $0.group == String(ada.id) }
            #expect(adaRow?.value("occupancy") == 0.125)
            #expect(adaRow?.value("occupancy_now") == 0)
            #expect(adaRow?.value("resolved") == 1)
            let boRow = report.rows.first { $0.group == String(bo.id) }
            #expect(boRow != nil && boRow?.value("occupancy") == nil)
            #expect(report.total.value("occupancy") == 0.125)
        }
    }
}
