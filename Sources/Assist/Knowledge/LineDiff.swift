/// A line diff between two versions of an article, in unified form ("-" removed, "+" added,
/// " " kept), from the longest common subsequence of lines. Articles are short, so the
/// quadratic table is small.
package enum LineDiff {
    package static func unified(from old: String, to new: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Very long bodies are compared as wholes rather than spending quadratic memory.
        guard a.count * b.count <= 4_000_000 else {
            return a == b ? "" : (a.map { "-" + $0 } + b.map { "+" + $0 }).joined(separator: "\n")
        }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var i = 0
        var j = 0
        var changed = false
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(" " + a[i])
                i += 1
                j += 1
            } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                // Removed lines come before the lines that replace them, as in `diff -u`.
                lines.append("-" + a[i])
                i += 1
                changed = true
            } else {
                lines.append("+" + b[j])
                j += 1
                changed = true
            }
        }
        return changed ? lines.joined(separator: "\n") : ""
    }
}
