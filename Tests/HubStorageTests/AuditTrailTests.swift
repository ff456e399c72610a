import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

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
}
