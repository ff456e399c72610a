import Foundation
import HubCore

/// The durable inbox: every verified inbound payload is stored here, once, before
/// the provider is acknowledged, and processed from here.
public protocol InboxStore: Sendable {
    /// Stores the payload (or recognises a duplicate) and processes it, in one durable commit.
    func ingest(_ envelope: InboxEnvelope, decode: @escaping InboundDecoder) async throws -> IngestOutcome
    /// Processes entries a crash or failure left unprocessed; returns how many it processed.
    func replayUnprocessed(decoder: @escaping @Sendable (ChannelID) -> InboundDecoder?, maxAttempts: Int) async throws -> Int
}
