import Foundation
import GRDB
import HubCore
import Testing

@testable import HubStorage

/// The audit chain on a real SQLite file: intact as written, and each kind of tampering done with
/// plain SQL (an edit, a deletion, an insertion, a cut at the end) is named at its row.
@Suite struct AuditTrailTests {
    func trail(_ rows: Int) async throws -> (TestDatabase, AuditStore) {
        let test = try TestDatabase()
        let store = AuditStore(database: test.database)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 1...rows {
            try await store.append(
                AuditEntry(
                    at: start.addingTimeInterval(Double(index)), actor: "agent:\(index % 3 + 1)", action: "customer.merge",
                    target: "customer:\(index)", sourceIP: "127.0.0.1", detail: "rule phone"))
        }
        return (test, store)
    }

    func tamper(_ test: TestDatabase, _ sql: String) async throws {
        try await test.database.writer.write { db in try db.execute(sql: sql) }
    }

    @Test func anUntouchedTrailVerifies() async throws {
        let (test, store) = try await trail(6)
        defer { test.remove() }
        #expect(try await store.verify() == .intact(rows: 6))
    }

    @Test func anEditedRowIsNamed() async throws {
        let (test, store) = try await trail(6)
        defer { test.remove() }
        try await tamper(test, "UPDATE audit SET detail = 'nothing happened' WHERE id = 3")
        #expect(try await store.verify() == .edited(id: 3))
    }

    @Test func aDeletedRowIsNamedAtTheRowAfterIt() async throws {
        let (test, store) = try await trail(6)
        defer { test.remove() }
        try await tamper(test, "DELETE FROM audit WHERE id = 4")
        #expect(try await store.verify() == .deletedBefore(id: 5))
    }

    @Test func anInsertedRowIsNamed() async throws {
        let (test, store) = try await trail(6)
        defer { test.remove() }
        // Rows 4-6 move up one, and a forged row takes id 4 with a hash of its own.
        try await tamper(
            test,
            """
            UPDATE audit SET id = id + 100 WHERE id >= 4;
            UPDATE audit SET id = id - 99 WHERE id >= 104;
            INSERT INTO audit (id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash)
            VALUES (4, 1800000003500, 'agent:9', 'auth.role_change', 'agent:9', 'ok', NULL, 'agent -> admin',
                    (SELECT hash FROM audit WHERE id = 3), 'forged');
            """)
        #expect(try await store.verify() == .edited(id: 4))
        // The same with a hash forged as the hub computes it: the row after it no longer links.
        let forged = AuditEntry(
            at: Date(timeIntervalSince1970: 1_800_000_003.5), actor: "agent:9", action: "auth.role_change", target: "agent:9",
            detail: "agent -> admin")
        let previous = try await test.database.writer.read { db in try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = 3")! }
        let hash = AuditChain.hash(previous: previous, id: 4, forged, atMilliseconds: 1_800_000_003_500)
        try await tamper(test, "UPDATE audit SET hash = '\(hash)' WHERE id = 4")
        #expect(try await store.verify() == .inserted(id: 4))
        // A row appended by hand after the head does not link to it.
        let (other, otherStore) = try await trail(3)
        defer { other.remove() }
        try await tamper(
            other,
            """
            INSERT INTO audit (id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash)
            VALUES (4, 1800000004000, 'agent:9', 'auth.role_change', 'agent:9', 'ok', NULL, NULL, 'abc', 'def')
            """)
        #expect(try await otherStore.verify() == .inserted(id: 4))
    }

    @Test func rowsCutFromTheEndAreFoundByTheHead() async throws {
        let (test, store) = try await trail(6)
        defer { test.remove() }
        try await tamper(test, "DELETE FROM audit WHERE id >= 5")
        #expect(try await store.verify() == .truncated(after: 4))
        // Appending goes on from the recorded head, so the gap stays visible.
        try await store.append(AuditEntry(at: Date(), actor: "cli", action: "audit.verify"))
        #expect(try await store.verify() == .deletedBefore(id: 7))
    }

    @Test func aForgedRowWithTheHubsOwnHashAfterTheHeadIsInserted() async throws {
        let (test, store) = try await trail(3)
        defer { test.remove() }
        let head = try await test.database.writer.read { db in try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = 3")! }
        let forged = AuditEntry(at: Date(timeIntervalSince1970: 1_800_000_004), actor: "agent:9", action: "auth.login")
        let hash = AuditChain.hash(previous: head, id: 4, forged, atMilliseconds: 1_800_000_004_000)
        try await tamper(
            test,
            """
            INSERT INTO audit (id, at_ms, actor, action, target, outcome, source_ip, detail, prev_hash, hash)
            VALUES (4, 1800000004000, 'agent:9', 'auth.login', NULL, 'ok', NULL, NULL, '\(head)', '\(hash)')
            """)
        #expect(try await store.verify() == .inserted(id: 4))
    }

    @Test func pruningRemovesWholeDaysBeforeTheCutoffAndTheRestStillVerifies() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let store = AuditStore(database: test.database)
        // Six days, 3 000 rows a day (more than one delete batch), at 2027-01-15 00:00 UTC onwards.
        let start = Date(timeIntervalSince1970: 1_799_971_200)
        for day in 0..<6 {
            try await test.database.writer.write { db in
                for index in 0..<3_000 {
                    _ = try AuditLedger.append(
                        AuditEntry(
                            at: start.addingTimeInterval(Double(day * 86_400 + index * 20)), actor: "agent:1", action: "auth.login"),
                        in: db)
                }
            }
        }
        // A cutoff in the middle of day 3 keeps all of day 3: days 0-2 go.
        let pruning = try await store.prune(before: start.addingTimeInterval(3 * 86_400 + 43_200))
        #expect(pruning.removed == 9_000)
        #expect(pruning.anchorID == 9_000)
        #expect(try await store.verify() == .intact(rows: 9_000))
        let oldest = try await test.database.writer.read { db in try Int64.fetchOne(db, sql: "SELECT min(at_ms) FROM audit")! }
        #expect(oldest == Int64((start.timeIntervalSince1970 + 3 * 86_400) * 1000))
        // Appending goes on after pruning; pruning again with nothing old is a no-op; editing a kept row is still caught.
        try await store.append(AuditEntry(at: start.addingTimeInterval(6 * 86_400), actor: "cli", action: "audit.verify"))
        #expect(try await store.prune(before: start.addingTimeInterval(3 * 86_400)).removed == 0)
        #expect(try await store.verify() == .intact(rows: 9_001))
        try await tamper(test, "DELETE FROM audit WHERE id = 9001")
        #expect(try await store.verify() == .deletedBefore(id: 9_002))
    }

    @Test func theAuditorsQueryFiltersByActorActionAndTimeAndPagesNewestFirst() async throws {
        let (test, store) = try await trail(30)
        defer { test.remove() }
        try await store.append(AuditEntry(at: Date(timeIntervalSince1970: 1_800_000_100), actor: "anonymous", action: "auth.login"))
        let byActor = try await store.page(AuditQuery(actor: "agent:2"), limit: 100).records
        #expect(byActor.count == 10 && byActor.allSatisfy { $0.actor == "agent:2" })
        #expect(byActor.map(\.id) == byActor.map(\.id).sorted(by: >))
        #expect(try await store.page(AuditQuery(action: "auth."), limit: 100).records.map(\.id) == [31])
        #expect(try await store.page(AuditQuery(action: "auth"), limit: 100).records.isEmpty)
        let window = AuditQuery(from: Date(timeIntervalSince1970: 1_800_000_010), to: Date(timeIntervalSince1970: 1_800_000_020))
        #expect(try await store.page(window, limit: 100).records.map(\.id) == Array((10...19).reversed()))
        var seen: [Int64] = []
        try await store.forEachBatch(AuditQuery(), batch: 7) { seen += $0.map(\.id) }
        #expect(seen == Array((1...31).reversed()))
    }
}
