import Foundation
import HubCore
import HubServer
import Synchronization
import Testing

/// The SLA service in the running hub on a clock the test moves: a ticket opened over the API
/// gets its warning and then its breach when the clock passes their moments, each once, without
/// waiting half an hour.
@Suite struct TicketServiceTests {
    final class MovableClock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
        func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
    }

    struct Ticket: Decodable {
        var number: String
        var sla: SLA

        struct SLA: Decodable {
            var policy: String
            var firstResponse: Target
        }

        struct Target: Decodable {
            var state: String
            var dueAt: String
        }
    }

    @Test func warningAndBreachFollowTheServicesClock() async throws {
        let clock = MovableClock()
        let manifest =
            TestHub.manifest() + """

                sla:
                  - id: standard
                    first_response: 30m
                    warn_before: 5m
                """
        try await TestHub.run(manifest: manifest, clock: { clock.now() }) { client in
            let receipt = try await EventLogAPITests.chat(client, "m1", "my parcel never came")
            let (status, ticket) = try await client.decoded(
                Ticket.self, .post, "/api/v1/tickets", body: #"{"subject": "Parcel never came", "customer": \#(receipt.customer)}"#)
            #expect(status == .created)
            #expect(ticket.sla.policy == "standard" && ticket.sla.firstResponse.state == "running")
            func count(_ type: String) async throws -> Int {
                try await EventLogAPITests.events(client, "after=0&types=\(type)").1.count
            }
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(try await count("sla.warning") == 0)
            clock.advance(26 * 60)
            _ = try await eventually { try await count("sla.warning") == 1 ? true : nil }
            #expect(try await count("sla.breached") == 0)
            clock.advance(5 * 60)
            _ = try await eventually { try await count("sla.breached") == 1 ? true : nil }
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(try await count("sla.breached") == 1)
            #expect(try await count("sla.warning") == 1)
        }
    }
}
