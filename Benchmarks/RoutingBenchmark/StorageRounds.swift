import Foundation
import HubCore
import HubStorage

/// The hub's own path on a real SQLite file: an agent frees a slot (resolves a conversation),
/// and one routing round (what the event bell starts at once) offers them the oldest
/// conversation waiting. Times the round, and checks that it was the oldest.
enum StorageRounds {
    static func measure() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("routing-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try HubDatabase.open(path: folder.appendingPathComponent("hub.sqlite").path)
        let writer = GroupCommitWriter(writer: database.writer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            try await run(database: database, writer: writer)
            group.cancelAll()
        }
    }

    static func run(database: HubDatabase, writer: GroupCommitWriter) async throws {
        let agents = AgentStore(database: database)
        let work = WorkStore(database: database, teams: [])
        let routing = RoutingStore(
            database: database, settings: RoutingSettings(queues: [QueueConfig(id: "all")], waitMessages: false), kinds: ["sms": .async])
        let inbox = InboxStore(database: database, writer: writer)
        for index in 0..<50 {
            let agent = try await agents.create(
                NewAgentAccount(
                    email: "agent\(index)@example.com", name: "Agent \(index)", role: .agent, passwordHash: "x", teams: [],
                    skills: Skills(), capacity: Capacity(chat: 2, async: 4)), now: Date())
            _ = try await agents.setPresence(id: agent.id, .online, actor: "bench", now: Date())
        }
        // 400 conversations: 200 fill every slot, 200 wait.
        for index in 0..<400 {
            let phone = "+1415555\(String(format: "%04d", index))"
            let envelope = InboxEnvelope(channelID: "sms", dedupeKey: "SM\(index)", contentType: nil, payload: [], receivedAt: Date())
            _ = try await inbox.ingest(envelope) { _ in
                [
                    .message(
                        InboundMessage(
                            providerMessageID: "SM\(index)", threadKey: phone,
                            identities: [IdentityHint(kind: .phone, value: phone, verified: true)],
                            senderName: nil, parts: [.text("hello \(index)")], sentAt: Date()))
                ]
            }
        }
        let first = try await routing.round(now: Date())
        var held = Dictionary(grouping: first.assignments, by: \.agentID).mapValues { $0.map(\.conversationID) }
        var rounds: [Double] = []
        var oldestFirst = 0
        let clock = ContinuousClock()
        for step in 0..<200 {
            let agentID = Int64(step % 50 + 1)
            guard var mine = held[agentID], !mine.isEmpty else { continue }
            let done = mine.removeFirst()
            _ = try await work.update(done, ConversationChanges(status: .resolved), actor: "bench", now: Date())
            let waitingBefore = try await work.list(
                {
                    var filter = ConversationFilter()
                    filter.status = .queued
                    filter.limit = 200
                    return filter
                }(),
                viewer: Viewer(agentID: nil, teams: [], seesAll: true), now: Date()
            ).items.map(\.id)
            let began = clock.now
            let round = try await routing.round(now: Date())
            rounds.append((clock.now - began).seconds)
            if let offer = round.assignments.first, offer.agentID == agentID, offer.conversationID == waitingBefore.min() {
                oldestFirst += 1
            }
            mine.append(contentsOf: round.assignments.filter { $0.agentID == agentID }.map(\.conversationID))
            held[agentID] = mine
        }
        let sorted = rounds.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }
        print("storage rounds on a SQLite file: 50 agents (4 asynchronous slots each, all full), 200 waiting")
        print(
            String(
                format:
                    "  an agent resolves one, the next round offers them the oldest waiting: %d of %d rounds; round p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                oldestFirst, rounds.count, percentile(0.5) * 1000, percentile(0.99) * 1000, (sorted.last ?? 0) * 1000))
    }
}
