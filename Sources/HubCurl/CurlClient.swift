import Foundation

/// An async HTTP client over libcurl for provider APIs.
///
/// Transfers run on a fixed set of worker threads, each owning one easy handle, so
/// `curl_easy_perform` blocks those threads and never the cooperative pool, and each
/// handle's connection cache keeps provider connections alive between calls.
///
/// The hub makes one client, started and stopped with the app; each channel gets a
/// ``lane(_:limit:)`` of it. Copies share the workers.
package struct CurlClient: Sendable {
    private let pool: WorkerPool
    private let lane: CurlLane?

    /// - Parameter workers: how many transfers outside any lane may run at once.
    package init(workers: Int = 4) {
        self.pool = WorkerPool(workers: workers)
        self.lane = nil
    }

    private init(pool: WorkerPool, lane: CurlLane?) {
        self.pool = pool
        self.lane = lane
    }

    /// The same client for one channel: at most `limit` of this lane's transfers run at once,
    /// on threads of its own.
    package func lane(_ name: String, limit: Int = 2) -> CurlClient {
        CurlClient(pool: pool, lane: CurlLane(name: name, limit: max(1, limit)))
    }

    /// Starts the worker threads; the first transfer starts them too.
    package func start() {
        pool.start()
    }

    /// Lets queued transfers finish, then ends the worker threads and returns once they
    /// have exited. Transfers asked for afterwards fail with `CURLE_FAILED_INIT`.
    package func shutdown() async {
        await pool.shutdown()
    }

    /// Performs `request` and returns the provider's response, whatever its status.
    /// Throws ``CurlError`` only when there is no response (connection refused,
    /// timeout, TLS failure, response too large, task cancelled).
    package func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        try await run(.http(request))
    }

    /// Runs an IMAP command and returns what the server sent back: the raw message for a
    /// `;UID=` fetch URL, the untagged response lines for a custom command.
    package func imap(_ request: IMAPRequest) async throws(CurlError) -> [UInt8] {
        try await run(.imap(request)).body
    }

    /// Sends one message over SMTP. Throws with the server's refusal (`CURLE_LOGIN_DENIED`,
    /// `CURLE_SEND_ERROR` with the reply text, …) when it is not accepted.
    package func smtp(_ request: SMTPRequest) async throws(CurlError) {
        _ = try await run(.smtp(request))
    }

    private func run(_ transfer: Transfer) async throws(CurlError) -> CurlResponse {
        let cancellation = CancellationFlag()
        let queue = pool.queue(for: lane)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<CurlResponse, CurlError>, Never>) in
                let accepted =
                    queue?.push(TransferQueue.Job(transfer: transfer, cancellation: cancellation) { continuation.resume(returning: $0) })
                    ?? false
                if !accepted {
                    continuation.resume(
                        returning: .failure(CurlError(code: 2, name: "CURLE_FAILED_INIT", message: "the HTTP client has shut down")))
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}
