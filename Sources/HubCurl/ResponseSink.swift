import Foundation

/// Collects one transfer's response as libcurl hands it over in chunks.
final class ResponseSink {
    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var overflowed = false
    private let limit: Int
    private let cancellation: CancellationFlag

    init(limit: Int, cancellation: CancellationFlag) {
        self.limit = limit
        self.cancellation = cancellation
    }

    var isCancelled: Bool { cancellation.isCancelled }

    /// Returns `count` to go on; anything else makes libcurl abort the transfer.
    func appendBody(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard !cancellation.isCancelled else { return 0 }
        guard body.count + count <= limit else {
            overflowed = true
            return 0
        }
        if let buffer, count > 0 {
            buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
                body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
            }
        }
        return count
    }

    /// libcurl calls this once per header line, status lines included; a new status
    /// line (after `100 Continue` or a redirect) starts the header list again.
    func appendHeaderLine(_ buffer: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard !cancellation.isCancelled else { return 0 }
        guard let buffer, count > 0 else { return count }
        let line = buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
        return count
    }
}
