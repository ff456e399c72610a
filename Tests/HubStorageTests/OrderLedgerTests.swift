import Foundation
import GRDB
import HubCore
import HubStorage
import Testing

/// Orders and shipments newest-wins, filed under the customer the identity graph finds.
@Suite struct OrderLedgerTests {
    static func order(_ id: String, version: TimeInterval, financial: String, phone: String = "+8613800138000", shipment: String? = nil)
        -> OrderSnapshot
    {
        OrderSnapshot(
            orderID: id, name: "#\(id)", createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            shopUpdatedAt: Date(timeIntervalSince1970: 1_700_000_000 + version), financialStatus: financial,
            fulfillmentStatus: shipment == nil ? "unfulfilled" : "fulfilled", cancelledAt: nil, currency: "CNY", totalPrice: "299.00",
            customerIdentities: [IdentityHint(kind: .phone, value: phone, verified: true)], customerName: "张三",
            lineItems: [OrderLineItem(title: "保温杯", sku: "CUP", quantity: 1, price: "299.00")],
            fulfillments: shipment.map {
                [
                    FulfillmentSnapshot(
                        fulfillmentID: "F\(id)", orderID: id, status: "success", shipmentStatus: $0, trackingCompany: "SF Express",
                        trackingNumber: "SF1", trackingURL: nil, shopUpdatedAt: Date(timeIntervalSince1970: 1_700_000_000 + version))
                ]
            } ?? [])
    }

    static func ingest(_ inbox: InboxStore, _ key: String, _ events: [InboundEvent]) async throws -> IngestResult? {
        let outcome = try await inbox.ingest(
            InboxEnvelope(channelID: "shop", dedupeKey: key, contentType: nil, payload: Array(key.utf8), receivedAt: Date()),
            decode: { _ in events })
        if case .accepted(let result, _) = outcome { return result }
        return nil
    }

    @Test func anOlderVersionNeverOverwritesANewerOne() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let inbox = InboxStore(
                database: test.database, writer: writer, policy: IdentityPolicy(IdentitySettings(defaultRegion: "CN")))
            let v1 = try await Self.ingest(inbox, "v1", [.order(Self.order("1001", version: 1, financial: "pending"))])
            #expect(v1?.orders == OrderChanges(created: 1))
            let v3 = try await Self.ingest(inbox, "v3", [.order(Self.order("1001", version: 3, financial: "refunded"))])
            #expect(v3?.orders == OrderChanges(updated: 1))
            // The late retry of version 2 arrives after version 3.
            let v2 = try await Self.ingest(inbox, "v2", [.order(Self.order("1001", version: 2, financial: "paid"))])
            #expect(v2?.orders == OrderChanges(unchanged: 1))
            let customer = try #require(v1?.customerID)
            let orders = try #require(try await OrderStore(database: test.database).orders(customerID: customer, limit: 10))
            #expect(orders.orders.map(\.financialStatus) == ["refunded"])
            #expect(orders.orders.first?.shopUpdatedAt == Date(timeIntervalSince1970: 1_700_000_003))
            let kinds = try await test.database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT kind || ': ' || summary FROM timeline_event ORDER BY id")
            }
            #expect(
                kinds == [
                    "order.created: Order #1001: 299.00 CNY, pending, unfulfilled",
                    "order.updated: Order #1001: 299.00 CNY, refunded, unfulfilled",
                ])
        }
    }

    @Test func shipmentsMoveForwardAndLandOnTheTimelineOfTheSamePhone() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        try await withWriter(test.database) { writer in
            let policy = IdentityPolicy(IdentitySettings(defaultRegion: "CN"))
            let inbox = InboxStore(database: test.database, writer: writer, policy: policy)
            // The person first wrote by SMS from the same number, typed without the country code.
            let sms = try await inbox.ingest(
                InboxEnvelope(channelID: "sms", dedupeKey: "m1", contentType: nil, payload: [], receivedAt: Date()),
                decode: { _ in
                    [
                        .message(
                            InboundMessage(
                                providerMessageID: "m1", threadKey: "13800138000",
                                identities: [IdentityHint(kind: .phone, value: "138 0013 8000", verified: true)], senderName: nil,
                                parts: [.text("到哪了？")], sentAt: Date()))
                    ]
                })
            guard case .accepted(let first, _) = sms, let person = first.customerID else { throw StorageFailure("sms") }
            let placed = try await Self.ingest(inbox, "o1", [.order(Self.order("2002", version: 1, financial: "paid"))])
            #expect(placed?.customerID == person)
            _ = try await Self.ingest(inbox, "o2", [.order(Self.order("2002", version: 2, financial: "paid", shipment: "in_transit"))])
            _ = try await Self.ingest(inbox, "o3", [.order(Self.order("2002", version: 4, financial: "paid", shipment: "delivered"))])
            // A stale fulfilment report after delivery changes nothing.
            _ = try await Self.ingest(
                inbox, "f-late",
                [
                    .fulfillment(
                        FulfillmentSnapshot(
                            fulfillmentID: "F2002", orderID: "2002", status: "success", shipmentStatus: "out_for_delivery",
                            trackingCompany: "SF Express", trackingNumber: "SF1", trackingURL: nil,
                            shopUpdatedAt: Date(timeIntervalSince1970: 1_700_000_003)))
                ])
            let orders = try #require(try await OrderStore(database: test.database).orders(customerID: person, limit: 10))
            #expect(orders.orders.first?.fulfillments.first?.shipmentStatus == "delivered")
            let timeline = try await CustomerStore(database: test.database).timeline(customerID: person, limit: 20, before: nil)
            let kinds = timeline.events.map(\.kind)
            #expect(kinds.contains("message"))
            #expect(kinds.contains("order.created"))
            #expect(kinds.contains("shipment.created"))
            #expect(kinds.contains("shipment.in_transit"))
            #expect(kinds.contains("shipment.delivered"))
            #expect(!kinds.contains("shipment.out_for_delivery"))
        }
    }
}
