import CCurl
import Foundation

/// An async HTTP client over libcurl for provider APIs.
///
/// Transfers run on a fixed set of worker threads, each owning one easy handle, so
/// `curl_easy_perform` blocks those threads and never the cooperative pool, and each
/// handle's connection cache keeps provider connections alive between calls.
/// Dropping the client lets queued transfers finish and then ends its threads.
public final class CurlClient: Sendable {
    private let queue = TransferQueue()

    /// - Parameter workers: how many transfers may run at once.
    public init(workers: Int = 4) {
        // Reference-counted and thread-safe on libcurl ≥ 7.84 (Debian 12 ships 7.88);
        // never paired with a cleanup because FoundationNetworking shares the library.
        curl_global_init(Int(CURL_GLOBAL_ALL))
        ccurl_ignore_sigpipe()
        for index in 0..<max(1, workers) {
            let thread = Thread { [queue] in
                guard let handle = EasyHandle() else {
                    while let job = queue.next() {
                        job.complete(.failure(CurlError(code: 2, name: "CURLE_FAILED_INIT", message: "curl_easy_init failed")))
                    }
                    return
                }
                while let job = queue.next() {
                    job.complete(handle.perform(job.transfer, cancellation: job.cancellation))
                }
            }
            thread.name = "tributary-curl-\(index)"
            thread.start()
        }
    }

    deinit {
        queue.close()
    }

    /// Performs `request` and returns the provider's response, whatever its status.
    /// Throws ``CurlError`` only when there is no response (connection refused,
    /// timeout, TLS failure, response too large, task cancelled).
    public func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse {
        try await run(.http(request))
    }

    /// Runs an IMAP command and returns what the server sent back: the raw message for a
    /// `;UID=` fetch URL, the untagged response lines for a custom command.
    public func imap(_ request: IMAPRequest) async throws(CurlError) -> [UInt8] {
        try await run(.imap(request)).body
    }

    /// Sends one message over SMTP. Throws with the server's refusal (`CURLE_LOGIN_DENIED`,
    /// `CURLE_SEND_ERROR` with the reply text, …) when it is not accepted.
    public func smtp(_ request: SMTPRequest) async throws(CurlError) {
        _ = try await run(.smtp(request))
    }

    private func run(_ transfer: Transfer) async throws(CurlError) -> CurlResponse {
        let cancellation = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<CurlResponse, CurlError>, Never>) in
                let accepted = queue.push(
                    TransferQueue.Job(transfer: transfer, cancellation: cancellation) { continuation.resume(returning: $0) })
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
