import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

/// The identity graph on real SQLite files: resolution across channels, merges,
/// proposals, exact undo, and concurrent writers racing on one new identifier.
@Suite struct IdentityGraphTests {
    /// What a test event carries; stored as the inbox payload and decoded like an adapter would.
    struct Event: Codable {
        var thread: String
        var identities: [IdentityHint]
        var name: String?
        var text: String
        var at: Date
    }

    static let decode: InboundDecoder = { raw in
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let event = try decoder.decode(Event.self, from: Data(raw.body))
        return [
            .message(
                InboundMessage(
                    providerMessageID: nil, threadKey: event.thread, identities: event.identities, senderName: event.name,
                    parts: [.text(event.text)], sentAt: event.at))
        ]
    }

    struct Harness {
        let inbox: InboxStore
        let customers: CustomerStore
        let graph: IdentityGraphStore
        let database: HubDatabase

        /// Ingests one event and returns the customer it was shown under.
        @discardableResult
        func send(
            _ channel: ChannelID, _ text: String, thread: String, _ identities: [IdentityHint], name: String? = nil, minute: Double
        ) async throws -> CustomerID {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .millisecondsSince1970
            let at = Date(timeIntervalSince1970: 1_800_000_000 + minute * 60)
            let payload = try encoder.encode(Event(thread: thread, identities: identities, name: name, text: text, at: at))
            let outcome = try await inbox.ingest(
                InboxEnvelope(
                    channelID: channel, dedupeKey: "\(channel):\(text)", contentType: "application/json", payload: Array(payload),
                    receivedAt: at), decode: IdentityGraphTests.decode)
            guard case .accepted(let result, _) = outcome, let customer = result.customerID else {
                throw HubError.badRequest("not_accepted", "\(outcome)")
            }
            return customer
        }

        func timelineTexts(_ customer: CustomerID) async throws -> [String] {
            try await customers.timeline(customerID: customer, limit: 100, before: nil).events.reversed().map(\.summary)
        }

        /// Which customer every timeline event and identifier shows under: what undo must restore.
        func placement() async throws -> [String] {
            try await database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT 'event ' || t.id || ' -> ' || t.root_id FROM timeline_event t
                        UNION ALL SELECT 'identity ' || i.id || ' -> ' || c.root_id FROM identity i JOIN customer c ON c.id = i.customer_id
                        UNION ALL SELECT 'conversation ' || v.id || ' -> ' || c.root_id FROM conversation v JOIN customer c ON c.id = v.customer_id
                        ORDER BY 1
                        """)
            }
        }
    }

    func withHarness(
        policy: IdentityPolicy = IdentityPolicy(IdentitySettings(defaultRegion: "CN")), _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            try await body(
                Harness(
                    inbox: InboxStore(database: test.database, writer: writer, policy: policy),
                    customers: CustomerStore(database: test.database),
                    graph: IdentityGraphStore(database: test.database, writer: writer), database: test.database))
        }
    }

    static let email = "Wang.Fang@Example.com"
    static let phone = "+86 138-0013-8000"

    @Test func oneCustomerAcrossWebMailSmsAndShopAndUndoSplitsExactly() async throws {
        try await withHarness { hub in
            // The visitor types an email into the pre-chat form: a claim, not proof.
            let web = try await hub.send(
                "web", "hi from the web", thread: "v1",
                [
                    IdentityHint(kind: .webVisitor, value: "web:v1", verified: true),
                    IdentityHint(kind: .email, value: Self.email, verified: false),
                ],
                name: "Fang", minute: 1)
            // A DMARC-passing mail from that address: a new customer and a proposal, since the form proved nothing.
            let mail = try await hub.send(
                "mail", "mail about my order", thread: "m1", [IdentityHint(kind: .email, value: "wang.fang@example.com ", verified: true)],
                name: "Wang Fang", minute: 2)
            #expect(mail != web)
            let proposals = try await hub.graph.proposals(state: "open", limit: 10)
            #expect(proposals.count == 1)
            #expect(Set(proposals[0].customers) == [web, mail])
            #expect(proposals[0].rule == "email")
            // An SMS from a number nobody knows yet.
            let sms = try await hub.send(
                "sms", "sms: where is it", thread: "+8613800138000", [IdentityHint(kind: .phone, value: "13800138000", verified: true)],
                minute: 3)
            #expect(sms != mail && sms != web)
            let beforeAutoMerge = try await hub.placement()
            // The shop's order links the verified email and the phone: mail and SMS customers merge on their own.
            let shop = try await hub.send(
                "shop", "order #1001 placed", thread: "order-1001",
                [
                    IdentityHint(kind: .shopCustomer, value: "shop:777", verified: true),
                    IdentityHint(kind: .email, value: Self.email, verified: true),
                    IdentityHint(kind: .phone, value: Self.phone, verified: true),
                ], name: "王芳", minute: 4)
            #expect(shop == mail)
            let automatic = try #require(try await hub.graph.merges(customerID: sms)?.first)
            #expect(automatic.rule == "phone" || automatic.rule == "email_verified")
            #expect(automatic.actor == "rule")
            #expect(automatic.survivor == mail && automatic.absorbed == sms)
            let beforeAccept = try await hub.placement()

            // The agent accepts the proposal: one customer, one timeline, in time order.
            let accepted = try await hub.graph.decide(
                proposalID: proposals[0].id, accept: true, actor: "agent:ann", now: Date())
            #expect(accepted.state == "accepted")
            let merged = try #require(accepted.mergeID)
            for id in [web, mail, sms] {
                #expect(
                    try await hub.timelineTexts(id) == ["hi from the web", "mail about my order", "sms: where is it", "order #1001 placed"])
            }
            let page = try await hub.customers.timeline(customerID: sms, limit: 10, before: nil)
            #expect(page.customerID == web)
            #expect(page.events.map(\.channelID) == ["shop", "sms", "mail", "web"])
            // A merged-away id answers with the survivor.
            let profile = try #require(try await hub.customers.profile(id: mail))
            #expect(profile.id == web && profile.redirectedFrom == mail)
            #expect(Set(profile.mergedCustomers) == [mail, sms])
            #expect(profile.identities.contains { $0.kind == "email" && $0.verified && $0.channelID == "mail" })
            #expect(profile.identities.contains { $0.kind == "email" && !$0.verified && $0.channelID == "web" })
            #expect(profile.identities.contains { $0.kind == "phone" && $0.value == "+8613800138000" })
            // Conflicting names are all kept, with their source; the newest is shown.
            let names = try #require(profile.attributes.first { $0.name == "name" })
            #expect(Set(names.values.map(\.source)) == ["web", "mail", "shop"])
            #expect(names.shown == "王芳" && profile.displayName == "王芳")
            #expect(try await hub.graph.merges(customerID: web)?.map(\.id).contains(merged) == true)

            // A later SMS arrives through the absorbed customer's phone.
            try await hub.send(
                "sms", "sms: thanks", thread: "+8613800138000", [IdentityHint(kind: .phone, value: "13800138000", verified: true)],
                minute: 5)
            #expect(try await hub.timelineTexts(web).last == "sms: thanks")

            // Undo the accepted merge: everything is back where it was, and nothing changes twice.
            let undone = try await hub.graph.undo(mergeID: merged, actor: "agent:ann", now: Date())
            #expect(undone.undoneBy == "agent:ann")
            #expect(try await hub.timelineTexts(web) == ["hi from the web"])
            #expect(try await hub.timelineTexts(mail) == ["mail about my order", "sms: where is it", "order #1001 placed", "sms: thanks"])
            let afterUndo = try await hub.placement()
            await #expect(throws: HubError.self) { try await hub.graph.undo(mergeID: merged, actor: "agent:ann", now: Date()) }
            #expect(try await hub.placement() == afterUndo)
            #expect(afterUndo.filter { beforeAccept.contains($0) }.count == beforeAccept.count)

            // Undo the automatic merge too: the SMS customer gets back its messages, including the later one.
            _ = try await hub.graph.undo(mergeID: automatic.id, actor: "cli", now: Date())
            #expect(try await hub.timelineTexts(sms) == ["sms: where is it", "sms: thanks"])
            #expect(try await hub.timelineTexts(mail) == ["mail about my order", "order #1001 placed"])
            let split = try await hub.placement()
            #expect(beforeAutoMerge.allSatisfy { split.contains($0) })

            // The agent split them: the next order with both identifiers does not merge them again.
            try await hub.send(
                "shop", "order #1002 placed", thread: "order-1002",
                [
                    IdentityHint(kind: .email, value: Self.email, verified: true),
                    IdentityHint(kind: .phone, value: Self.phone, verified: true),
                ],
                minute: 6)
            #expect(try await hub.graph.merges(customerID: sms)?.filter { $0.undoneAt == nil }.isEmpty == true)
        }
    }

    @Test func manualMergeErrorsChangeNothingAndRepeatingIsANoOp() async throws {
        try await withHarness { hub in
            let a = try await hub.send(
                "web", "a", thread: "a", [IdentityHint(kind: .webVisitor, value: "web:a", verified: true)], minute: 1)
            let b = try await hub.send(
                "web", "b", thread: "b", [IdentityHint(kind: .webVisitor, value: "web:b", verified: true)], minute: 2)
            let c = try await hub.send(
                "web", "c", thread: "c", [IdentityHint(kind: .webVisitor, value: "web:c", verified: true)], minute: 3)
            let before = try await hub.placement()
            await #expect(throws: HubError.badRequest("self_merge", "a customer cannot be merged with itself")) {
                try await hub.graph.merge(a, with: a, actor: "cli", reason: nil, now: Date())
            }
            await #expect(throws: HubError.self) { try await hub.graph.merge(a, with: 999, actor: "cli", reason: nil, now: Date()) }
            await #expect(throws: HubError.self) { try await hub.graph.undo(mergeID: 999, actor: "cli", now: Date()) }
            #expect(try await hub.placement() == before)

            let first = try await hub.graph.merge(b, with: c, actor: "agent:ann", reason: "same person", now: Date())
            #expect(first.created && first.customer == b)
            let again = try await hub.graph.merge(c, with: b, actor: "agent:ann", reason: nil, now: Date())
            #expect(!again.created && again.customer == b)
            // Merged several times over: the survivor's timeline is still one indexed read.
            let second = try await hub.graph.merge(a, with: c, actor: "agent:ann", reason: nil, now: Date())
            #expect(second.customer == a && second.merge?.absorbed == b)
            #expect(try await hub.timelineTexts(c) == ["a", "b", "c"])
            let trail = try #require(try await hub.graph.merges(customerID: a))
            #expect(trail.map(\.reason) == [nil, "same person"])
            // Undo the older, inner merge while the outer one stands: c leaves, b stays with a.
            _ = try await hub.graph.undo(mergeID: try #require(first.merge?.id), actor: "agent:ann", now: Date())
            #expect(try await hub.timelineTexts(a) == ["a", "b"])
            #expect(try await hub.timelineTexts(c) == ["c"])
            _ = try await hub.graph.undo(mergeID: try #require(second.merge?.id), actor: "agent:ann", now: Date())
            #expect(try await hub.placement() == before)
        }
    }

    @Test func conflictingVerifiedEmailsBecomeAProposal() async throws {
        try await withHarness { hub in
            let ann = try await hub.send(
                "mail", "from ann", thread: "m-ann",
                [
                    IdentityHint(kind: .email, value: "ann@example.com", verified: true),
                    IdentityHint(kind: .phone, value: "13800138000", verified: true),
                ],
                minute: 1)
            let bob = try await hub.send(
                "shop", "bob's order", thread: "o-bob",
                [
                    IdentityHint(kind: .email, value: "bob@example.com", verified: true),
                    IdentityHint(kind: .phone, value: "13800138000", verified: true),
                ],
                minute: 2)
            #expect(ann != bob)
            let proposals = try await hub.graph.proposals(state: "open", limit: 10)
            #expect(proposals.count == 1)
            #expect(proposals.first?.evidence.contains("different verified emails") == true)
            // Rejecting keeps them apart for good.
            _ = try await hub.graph.decide(proposalID: proposals[0].id, accept: false, actor: "agent:ann", now: Date())
            let again = try await hub.send(
                "shop", "bob's second order", thread: "o-bob2",
                [
                    IdentityHint(kind: .email, value: "bob@example.com", verified: true),
                    IdentityHint(kind: .phone, value: "13800138000", verified: true),
                ],
                minute: 3)
            #expect(again == bob)
            #expect(try await hub.graph.proposals(state: "open", limit: 10).isEmpty)
        }
    }

    @Test func concurrentEventsWithOneNewIdentifierEndInOneCustomer() async throws {
        try await withHarness { hub in
            let customers = try await withThrowingTaskGroup(of: CustomerID.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let channel = index.isMultiple(of: 2) ? "sms" : "wechat"
                        var hints = [
                            IdentityHint(kind: .phone, value: index.isMultiple(of: 3) ? "+86 13900139000" : "13900139000", verified: true)
                        ]
                        if channel == "wechat" { hints.append(IdentityHint(kind: .wechatOpenID, value: "wx1:o\(index)", verified: true)) }
                        return try await hub.send(channel, "race \(index)", thread: "t\(index)", hints, minute: Double(index))
                    }
                }
                return try await group.reduce(into: Set<CustomerID>()) { $0.insert($1) }
            }
            #expect(customers.count == 1)
            let roots = try await hub.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer WHERE root_id = id")
            }
            #expect(roots == 1)
        }
    }

    @Test func twoProcessesRacingOnOneFileAgreeOnOneCustomer() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        // A second pool on the same file stands for a second hub process (or the import command).
        let other = try HubDatabase.open(path: test.path)
        let policy = IdentityPolicy(IdentitySettings(defaultRegion: "US"))
        try await withWriter(test.database) { first in
            try await withWriter(other) { second in
                let stores = [
                    InboxStore(database: test.database, writer: first, policy: policy),
                    InboxStore(database: other, writer: second, policy: policy),
                ]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        group.addTask {
                            let hub = Harness(
                                inbox: stores[index % 2], customers: CustomerStore(database: test.database),
                                graph: IdentityGraphStore(database: test.database), database: test.database)
                            try await hub.send(
                                index % 2 == 0 ? "sms" : "mail", "race \(index)", thread: "t\(index)",
                                [IdentityHint(kind: .phone, value: "(415) 555-0100", verified: true)], minute: Double(index))
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
        let counts = try await test.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM customer), (SELECT COUNT(*) FROM timeline_event)")!
        }
        #expect(counts[0] as Int == 1)
        #expect(counts[1] as Int == 40)
    }
}
