import HubCore
import HubStorage

/// The inbox with its processing stage: store a delivery and wake the stage, or store it
/// and wait for what processing it made.
struct InboxPipeline: Sendable {
    let inbox: InboxStore
    let processor: InboxProcessor
    let completions: InboxCompletions

    /// Stores the delivery and wakes the stage; returns at once.
    func store(_ envelope: InboxEnvelope) async throws -> StoreOutcome {
        let outcome = try await inbox.store(envelope)
        if case .stored = outcome { processor.wake() }
        return outcome
    }

    /// Stores the delivery and waits (up to `timeout`) for its processing, or for the first
    /// delivery's when it is a duplicate. `nil` when it is still pending then.
    func storeAndWait(_ envelope: InboxEnvelope, timeout: Duration = .seconds(30)) async throws -> (StoreOutcome, EntryOutcome?) {
        let stored = try await store(envelope)
        return (stored, try await outcome(of: stored.inboxID, timeout: timeout))
    }

    /// The entry's outcome once processed or failed for good, `nil` if still pending after `timeout`.
    func outcome(of inboxID: Int64, timeout: Duration) async throws -> EntryOutcome? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        // Another process's stage may take the entry (a running hub beside `tributary sync`); its
        // completion never reaches this process, so the stored state is read again every half second.
        while true {
            let slice = min(deadline - clock.now, .milliseconds(500))
            let outcome = try await completions.outcome(of: inboxID, timeout: max(slice, .zero)) {
                switch try await inbox.state(inboxID: inboxID) {
                case .processed(let result)?: return .processed(result, messages: [])
                case .failed(let reason)?: return .failed(reason: reason, retryAt: nil)
                case .pending?, nil: return nil
                }
            }
            if outcome != nil || clock.now >= deadline { return outcome }
        }
    }
}
