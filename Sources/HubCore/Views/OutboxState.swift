/// Where an outbound message is: waiting (or waiting to retry), handed to the provider,
/// accepted by it, or given up on after its attempts.
package enum OutboxState: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, sending, sent, failed
}
