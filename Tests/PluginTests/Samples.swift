import Foundation

/// The provider payloads and test vectors in `samples/payloads`, which verify against
/// the providers' own SDKs.
enum Samples {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/payloads")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// A one-line sample (a form body) without the file's final newline, as a provider sends it.
    static func line(_ name: String) throws -> [UInt8] {
        var bytes = try bytes(name)
        while bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
        return bytes
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// One provider's test vectors.
    static func vectors(_ section: String) throws -> TestVectors {
        try TestVectors(file: Data(try bytes("test_vectors.json")), section: section)
    }

    /// `a=b&c=d` as a dictionary, percent-decoded.
    static func query(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = pieces[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? pieces[0]
            let value = pieces.count > 1 ? (pieces[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? pieces[1]) : ""
            result[key] = value
        }
        return result
    }
}
