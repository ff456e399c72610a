/// The problems found in one YAML file, and the structural checks both the manifest and
/// plug-in files make, so that the two readers report a wrong shape, a missing or an unknown
/// key in the same words and at the same position.
package struct ConfigChecks: Sendable {
    /// Names the file in every problem.
    package let file: String
    package private(set) var problems: [ManifestProblem] = []

    package init(file: String) {
        self.file = file
    }

    /// Records a problem at `node` (or at `line` when given).
    /// - Parameters:
    ///   - node: the node at fault; its line and column locate the problem.
    ///   - line: overrides the node's line, e.g. to point at a key rather than its value.
    ///   - path: the dotted key path, such as `channels[0].settings.token`.
    ///   - message: what is wrong and, where it helps, what to write instead.
    package mutating func report(_ node: ConfigNode?, line: Int? = nil, _ path: String, _ message: String) {
        problems.append(
            ManifestProblem(file: file, line: line ?? node?.line ?? 1, column: node?.column ?? 1, keyPath: path, message: message))
    }

    /// Records a problem already located, such as a YAML syntax error; takes this file's name.
    package mutating func record(_ problem: ManifestProblem) {
        var located = problem
        located.file = file
        problems.append(located)
    }

    /// Records every problem of another report, e.g. of a plug-in file the manifest names.
    package mutating func record(contentsOf report: ManifestReport) {
        problems.append(contentsOf: report.problems)
    }

    /// True when `node` is a map; reports its shape otherwise.
    package mutating func requireMap(_ node: ConfigNode, _ path: String) -> Bool {
        if case .map = node.value { return true }
        report(node, path, "expected a map, found \(node.shapeName)")
        return false
    }

    /// The value of `key`, or a "missing required key" problem.
    package mutating func required(_ node: ConfigNode, _ key: String, _ path: String) -> ConfigNode? {
        if let value = node[key] { return value }
        report(node, path.isEmpty ? key : "\(path).\(key)", "missing required key")
        return nil
    }

    /// Reports each key of the map `node` that is not in `allowed`. A key given twice never
    /// gets here: ``ConfigNode/parse(yaml:)`` reports it (see `ManifestProblem.fromYaml`).
    package mutating func checkKeys(_ node: ConfigNode, _ path: String, allowed: Set<String>) {
        guard case .map(let entries) = node.value else { return }
        let known = allowed.sorted().joined(separator: ", ")
        for entry in entries where !allowed.contains(entry.key) {
            let keyPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
            report(entry.value, line: entry.keyLine, keyPath, "unknown key; expected one of: \(known)")
        }
    }
}
