extension Duration {
    /// Parses `250ms`, `30s`, `5m`, `2h` (a bare number is seconds); `nil` when malformed.
    package init?(manifestText text: String) {
        let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        let trimmed = text.trimmingWhitespace()
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard let value = Int64(number), value >= 0 else { return nil }
            self = .milliseconds(value * unit.milliseconds)
            return
        }
        guard let seconds = Int64(trimmed), seconds >= 0 else { return nil }
        self = .seconds(seconds)
    }
}
