import Foundation
import HubCore

/// The official account's `access_token`, fetched by one caller at a time.
///
/// Fetching a token invalidates the previous one (after about five minutes), so
/// every send of a channel shares this cache: concurrent senders wait for the one
/// refresh in flight instead of each fetching a token and invalidating the others'.
actor AccessTokenCache {
    struct Token: Sendable {
        var value: String
        var expiresAt: Date
    }

    private let fetch: @Sendable () async throws(WeChatAPIError) -> Token
    /// Refresh this long before the provider's expiry, so no send races it.
    private let margin: TimeInterval
    private let clock: WallClock
    private var current: Token?
    private var refreshing: Task<Token, any Error>?
    private(set) var fetches = 0

    init(margin: TimeInterval = 300, clock: WallClock, fetch: @escaping @Sendable () async throws(WeChatAPIError) -> Token) {
        self.margin = margin
        self.clock = clock
        self.fetch = fetch
    }

    /// A token valid for at least `margin` more seconds.
    func token() async throws(WeChatAPIError) -> String {
        if let current, current.expiresAt.timeIntervalSince(clock.now()) > margin { return current.value }
        return try await refresh().value
    }

    /// Drops `rejected` (the provider said it expired or is invalid) and fetches a new
    /// one, unless another caller already replaced it.
    func replace(rejected: String) async throws(WeChatAPIError) -> String {
        if let current, current.value != rejected { return current.value }
        current = nil
        return try await refresh().value
    }

    private func refresh() async throws(WeChatAPIError) -> Token {
        if let refreshing {
            do { return try await refreshing.value } catch { throw error as? WeChatAPIError ?? .transport(String(describing: error)) }
        }
        let fetch = self.fetch
        let task = Task { () async throws -> Token in try await fetch() }
        refreshing = task
        fetches += 1
        defer { refreshing = nil }
        do {
            let token = try await task.value
            current = token
            return token
        } catch {
            throw error as? WeChatAPIError ?? .transport(String(describing: error))
        }
    }
}
