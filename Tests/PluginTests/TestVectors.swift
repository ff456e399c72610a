import Foundation
import Testing

/// One provider's section of `samples/payloads/test_vectors.json`: the values its SDK
/// produced, read as text (a number is given in its decimal form).
struct TestVectors {
    let section: String
    private let values: [String: Value]

    /// A vector value: text or a number; nested tables are not read by the tests.
    enum Value: Decodable {
        case text(String)
        case number(Int)
        case table

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .table
            }
        }
    }

    /// Decodes the file's `section`; a section that is not there is an error naming it.
    init(file: Data, section: String) throws {
        let all = try JSONDecoder().decode([String: [String: Value]].self, from: file)
        guard let values = all[section] else {
            throw CocoaError(.coderValueNotFound, userInfo: [NSDebugDescriptionErrorKey: "test_vectors.json has no '\(section)'"])
        }
        self.section = section
        self.values = values
    }

    /// The vector `key` as text; one that is missing or a table fails the test and reads as "".
    subscript(key: String) -> String {
        switch values[key] {
        case .text(let text)?: return text
        case .number(let number)?: return String(number)
        case .table?, nil:
            Issue.record("test_vectors.json has no text '\(section).\(key)'")
            return ""
        }
    }
}
