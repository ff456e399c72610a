import Foundation

/// Expands `${VAR}` and `${VAR:-default}` in manifest values.
package enum EnvironmentExpansion {
    /// The outcome of expanding one value.
    package struct Result: Sendable, Hashable {
        package var text: String
        /// Variables referenced without a default that the environment lacks.
        package var missing: [String]
        /// Whether the value referenced the environment at all.
        package var usedEnvironment: Bool
    }

    package static func expand(_ text: String, environment: [String: String]) -> Result {
        var output = ""
        var missing: [String] = []
        var used = false
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                rest = ""
                break
            }
            used = true
            let body = rest[start.upperBound..<end]
            let name: Substring
            let fallback: Substring?
            if let separator = body.range(of: ":-") {
                name = body[..<separator.lowerBound]
                fallback = body[separator.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                missing.append(String(name))
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return Result(text: output, missing: missing, usedEnvironment: used)
    }
}
