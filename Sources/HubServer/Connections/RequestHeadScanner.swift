/// Follows an HTTP/1.1 byte stream from the client, request head by request head, without
/// buffering it: it finds where each head ends, refuses control characters in it, and skips each
/// body by its `Content-Length`. After a chunked body or an upgrade it stops following (the
/// decoder behind it still parses everything).
struct RequestHeadScanner {
    enum State: Equatable {
        /// Reading a head; `seen` bytes of it so far.
        case head(seen: Int)
        /// Skipping a body's remaining bytes.
        case body(remaining: Int)
        /// No longer following (a chunked body, an upgrade to WebSocket).
        case passthrough
    }

    enum Verdict: Equatable {
        case fine
        /// A byte no request head may hold, or a head past `maximumHeadBytes`.
        case malformed(String)
    }

    private(set) var state: State = .head(seen: 0)
    /// The current head's bytes, kept to read its framing headers once it ends.
    private var head: [UInt8] = []
    let maximumHeadBytes: Int

    init(maximumHeadBytes: Int = 64 * 1024) {
        self.maximumHeadBytes = maximumHeadBytes
    }

    /// Whether a head has started but not ended.
    var isInsideHead: Bool {
        if case .head(let seen) = state { return seen > 0 }
        return false
    }

    /// Reads the next bytes the client sent; `headsEnded` counts the heads that ended in them.
    mutating func read(_ bytes: some Collection<UInt8>) -> (verdict: Verdict, headsEnded: Int) {
        var headsEnded = 0
        var index = bytes.startIndex
        while index != bytes.endIndex {
            switch state {
            case .passthrough:
                return (.fine, headsEnded)
            case .body(let remaining):
                let available = bytes.distance(from: index, to: bytes.endIndex)
                let skipped = min(available, remaining)
                index = bytes.index(index, offsetBy: skipped)
                state = remaining - skipped == 0 ? .head(seen: 0) : .body(remaining: remaining - skipped)
            case .head(let seen):
                let byte = bytes[index]
                index = bytes.index(after: index)
                // Blank lines before a request line are allowed (RFC 9112 2.2).
                if seen == 0 && (byte == 0x0D || byte == 0x0A) { continue }
                if byte < 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0A || byte == 0x7F {
                    return (.malformed("a control character (0x\(String(byte, radix: 16))) in the request head"), headsEnded)
                }
                if head.count >= 1, head[head.count - 1] == 0x0D, byte != 0x0A {
                    return (.malformed("a CR not followed by LF in the request head"), headsEnded)
                }
                head.append(byte)
                guard head.count <= maximumHeadBytes else {
                    return (.malformed("the request head is longer than \(maximumHeadBytes) bytes"), headsEnded)
                }
                state = .head(seen: seen + 1)
                if byte == 0x0A, head.count >= 4, head[head.count - 4] == 0x0D, head[head.count - 3] == 0x0A, head[head.count - 2] == 0x0D {
                    headsEnded += 1
                    state = next(afterHead: head)
                    head.removeAll(keepingCapacity: true)
                }
            }
        }
        return (.fine, headsEnded)
    }

    /// What follows a head: its body by length, nothing, or a stream this scanner does not follow.
    private func next(afterHead head: [UInt8]) -> State {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        var length = 0
        for line in text.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: " \t")
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            switch name {
            case "transfer-encoding", "upgrade": return .passthrough
            case "content-length": length = Int(value) ?? 0
            default: continue
            }
        }
        return length > 0 ? .body(remaining: length) : .head(seen: 0)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
