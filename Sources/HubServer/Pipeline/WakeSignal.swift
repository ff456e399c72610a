/// A background service's "look now": woken by whoever queued work, and by a tick for work
/// that falls due on its own (retries). Wakes that arrive during a round are coalesced into
/// one more round.
struct WakeSignal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func wake() {
        continuation.yield()
    }

    /// Ends ``rounds(every:_:)`` after the round in progress (graceful shutdown).
    func finish() {
        continuation.finish()
    }

    /// Runs `round` after every wake and every `tick`, until ``finish()``.
    func rounds(every tick: Duration, _ round: () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [continuation] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: tick)
                    continuation.yield()
                }
            }
            for await _ in stream {
                await round()
            }
            group.cancelAll()
        }
    }
}
