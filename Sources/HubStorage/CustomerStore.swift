import Foundation
import HubCore

/// Customers, their identities and their timelines.
public protocol CustomerStore: Sendable {
    /// Customers whose name or any identifier contains `query` (all when empty), newest first.
    func search(_ query: String, limit: Int) async throws -> [CustomerProfile]
    func profile(id: CustomerID) async throws -> CustomerProfile?
    /// Timeline events newest first, older than `before` when given.
    func timeline(customerID: CustomerID, limit: Int, before: TimelineCursor?) async throws -> TimelinePage
    /// Message ids whose text matches `query` (English words, Chinese words of one or more characters).
    func searchMessages(_ query: String, limit: Int) async throws -> [MessageID]
}
