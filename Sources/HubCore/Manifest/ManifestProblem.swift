import Yams

/// One thing wrong with a manifest, located precisely enough to fix it.
package struct ManifestProblem: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    /// Dotted path of the key at fault, e.g. `channels[1].settings.app_id`.
    package var keyPath: String
    package var message: String

    package init(file: String = "", line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column: key: message`, the format compilers use, so editors can jump to it.
    package var description: String {
        let location = "\(file.isEmpty ? "manifest" : file):\(line):\(column)"
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }

    static func fromYaml(_ error: YamlError) -> ManifestProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return ManifestProblem(line: mark.line, column: mark.column, keyPath: "", message: "invalid YAML: \(detail)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams refuses a map with a repeated key before any reader sees it; its own
            // message would quote the whole file, so name the key at its first place instead.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ManifestProblem(
                line: context.mark.line, column: context.mark.column, keyPath: duplicates.first ?? "",
                message: "key \(keys) given twice in this map; write it once")
        default:
            return ManifestProblem(line: 1, column: 1, keyPath: "", message: "invalid YAML: \(error)")
        }
    }
}

/// Every problem found in a manifest; thrown when it is not valid.
package struct ManifestReport: Error, Sendable, CustomStringConvertible {
    package var problems: [ManifestProblem]

    package init(problems: [ManifestProblem]) {
        self.problems = problems
    }

    package var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
