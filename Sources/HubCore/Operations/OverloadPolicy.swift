/// When the hub counts as overloaded: the inbox's backlog or the age of its oldest waiting entry
/// past a threshold (`limits.overload_backlog`, `limits.overload_lag`). Overloaded, hooks still
/// acknowledge (the inbox only grows), the bot sends a short holding answer without any language
/// model, and `/readyz` says `degraded` with this reason.
package struct OverloadPolicy: Sendable, Hashable {
    package var backlog: Int
    package var lagSeconds: Double

    package init(backlog: Int = 5_000, lagSeconds: Double = 30) {
        self.backlog = backlog
        self.lagSeconds = lagSeconds
    }

    /// The reason the hub is overloaded, or `nil`.
    package func assess(backlog current: Int, lagSeconds currentLag: Double) -> String? {
        if current >= backlog { return "inbox backlog \(current) at or over \(backlog)" }
        if currentLag >= lagSeconds { return "oldest inbox entry waiting \(Int(currentLag)) s, at or over \(Int(lagSeconds)) s" }
        return nil
    }
}
