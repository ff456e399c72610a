package import Crypto
package import Foundation
package import HubCore

/// A file encrypted with AES-256-GCM in 1 MiB chunks, so that a backup of any size streams with
/// bounded memory. After a magic line, each chunk is a 4-byte big-endian length and the sealed box
/// (nonce, ciphertext, tag). The chunk's index and whether it is the last are its authenticated
/// data, so chunks cannot be reordered, dropped or the file cut short without failing to open.
package enum SealedFile {
    static let magic = Data("TRIBUTARY-SEALED-1\n".utf8)
    static let chunkSize = 1 << 20

    /// Whether the file at `path` begins like a sealed file.
    package static func isSealed(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: magic.count)) == magic
    }

    package static func seal(_ source: String, to destination: String, key: DataKey) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw HubError.notFound("no_file", "cannot read \(source)") }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination, contents: nil), let output = FileHandle(forWritingAtPath: destination)
        else { throw HubError(.internalError, code: "cannot_write", message: "cannot create \(destination)") }
        defer { try? output.close() }
        try output.write(contentsOf: magic)
        var index: UInt64 = 0
        var chunk = try input.read(upToCount: chunkSize) ?? Data()
        while true {
            let next = chunk.count == chunkSize ? (try input.read(upToCount: chunkSize) ?? Data()) : Data()
            let last = next.isEmpty
            let box = try AES.GCM.seal(chunk, using: key.key, authenticating: associatedData(index: index, last: last))
            guard let combined = box.combined else { throw HubError(.internalError, code: "seal_failed", message: "no sealed box") }
            var length = UInt32(combined.count).bigEndian
            try output.write(contentsOf: Data(bytes: &length, count: 4))
            try output.write(contentsOf: combined)
            if last { break }
            chunk = next
            index += 1
        }
        try output.synchronize()
    }

    package static func open(_ source: String, to destination: String, key: DataKey) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw HubError.notFound("no_file", "cannot read \(source)") }
        defer { try? input.close() }
        guard try input.read(upToCount: magic.count) == magic else {
            throw HubError.badRequest("not_sealed", "\(source) is not a sealed Tributary file")
        }
        guard FileManager.default.createFile(atPath: destination, contents: nil), let output = FileHandle(forWritingAtPath: destination)
        else { throw HubError(.internalError, code: "cannot_write", message: "cannot create \(destination)") }
        defer { try? output.close() }
        var index: UInt64 = 0
        var pending = try readChunk(input)
        guard pending != nil else { throw HubError.badRequest("truncated", "\(source) holds no chunk") }
        while let combined = pending {
            let next = try readChunk(input)
            do {
                let box = try AES.GCM.SealedBox(combined: combined)
                let plain = try AES.GCM.open(box, using: key.key, authenticating: associatedData(index: index, last: next == nil))
                try output.write(contentsOf: plain)
            } catch {
                throw HubError.badRequest(
                    "cannot_open", "chunk \(index) of \(source) does not open with this key: a wrong key, or the file was changed or cut")
            }
            pending = next
            index += 1
        }
    }

    private static func readChunk(_ input: FileHandle) throws -> Data? {
        guard let header = try input.read(upToCount: 4), !header.isEmpty else { return nil }
        guard header.count == 4 else { throw HubError.badRequest("truncated", "a chunk's length is cut short") }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= chunkSize + 64, let body = try input.read(upToCount: length), body.count == length else {
            throw HubError.badRequest("truncated", "a chunk is cut short")
        }
        return body
    }

    private static func associatedData(index: UInt64, last: Bool) -> Data {
        Data("chunk \(index)\(last ? " last" : "")".utf8)
    }
}
