extension String {
    /// The text without `suffix` at its end, once; used to join a configured base URL
    /// (`https://api.example.com/`) with a path without doubling the slash.
    package func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
