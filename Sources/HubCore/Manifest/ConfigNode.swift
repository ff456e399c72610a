import Yams

/// A YAML node with the position it was read from, so that every validation
/// problem can name the file, line and key at fault.
package struct ConfigNode: Sendable, Hashable {
    package enum Value: Sendable, Hashable {
        /// A scalar; `quoted` is true when written in quotes (always a string then).
        case scalar(String, quoted: Bool)
        case list([ConfigNode])
        /// Key/value pairs in file order; keys keep their own positions.
        case map([Entry])
    }

    package struct Entry: Sendable, Hashable {
        package var key: String
        package var keyLine: Int
        package var value: ConfigNode
    }

    package var value: Value
    /// 1-based line in the manifest.
    package var line: Int
    /// 1-based column in the manifest.
    package var column: Int

    package init(value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The value of `key` when this node is a map.
    package subscript(key: String) -> ConfigNode? {
        guard case .map(let entries) = value else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The scalar text, or `nil` for lists and maps.
    package var scalar: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    /// A word for the node's shape, used in "expected a list, found a map".
    package var shapeName: String {
        switch value {
        case .scalar: "a scalar"
        case .list: "a list"
        case .map: "a map"
        }
    }

    /// Parses YAML text; the error carries the position libyaml reported.
    package static func parse(yaml: String) throws(ManifestProblem) -> ConfigNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ManifestProblem.fromYaml(error)
        } catch {
            throw ManifestProblem(line: 1, column: 1, keyPath: "", message: "cannot parse YAML: \(error)")
        }
        return root.map(ConfigNode.init(yams:))
    }

    init(yams node: Node) {
        let line = (node.mark?.line ?? 0)
        let column = (node.mark?.column ?? 0)
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            let isNull = !quoted && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            self.init(value: .scalar(isNull ? "" : scalar.string, quoted: quoted), line: line, column: column)
        case .sequence(let sequence):
            self.init(value: .list(sequence.map(ConfigNode.init(yams:))), line: line, column: column)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                Entry(key: pair.key.string ?? "", keyLine: pair.key.mark?.line ?? line, value: ConfigNode(yams: pair.value))
            }
            self.init(value: .map(entries), line: line, column: column)
        case .alias:
            self.init(value: .scalar("", quoted: false), line: line, column: column)
        }
    }
}
