package import struct Foundation.Date

/// A channel's `bot:` block: whether the bot answers on it, when, in which languages, and
/// when it gives up and hands the conversation to people.
package struct BotSettings: Sendable, Hashable {
    /// When the bot takes a new conversation.
    package enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Every new conversation starts with the bot.
        case first
        /// Only outside the calendar's opening hours; inside them people answer.
        case afterHours = "after_hours"
        /// Never (the block stays in the manifest, switched off).
        case off
    }

    package var enabled: Bool
    package var mode: Mode
    /// The `calendars:` entry whose opening hours `after_hours` reads.
    package var calendar: String?
    /// The languages the bot answers in; a customer writing in another is handed off.
    package var languages: [String]
    /// How many turns in a row the bot may fail to understand or answer before it hands off.
    package var maxFailedTurns: Int
    /// Said before the first answer of a conversation.
    package var greeting: String?
    /// Intents that always go straight to people.
    package var handoffIntents: [String]
    /// Conversation labels that always go straight to people.
    package var handoffLabels: [String]
    /// The time zone dates and times are said in (the calendar's when there is one).
    package var timeZone: String

    package init(
        enabled: Bool = true, mode: Mode = .first, calendar: String? = nil, languages: [String] = ["zh", "en"], maxFailedTurns: Int = 2,
        greeting: String? = nil, handoffIntents: [String] = [], handoffLabels: [String] = ["vip"],
        timeZone: String = "Asia/Shanghai"
    ) {
        self.enabled = enabled
        self.mode = mode
        self.calendar = calendar
        self.languages = languages
        self.maxFailedTurns = maxFailedTurns
        self.greeting = greeting
        self.handoffIntents = handoffIntents
        self.handoffLabels = handoffLabels
        self.timeZone = timeZone
    }

    /// Whether the bot can take conversations at all.
    package var isOn: Bool { enabled && mode != .off }
}

extension BotSettings {
    /// Whether a conversation starting at `date` goes to the bot: always in `first` mode, outside
    /// the calendar's opening hours in `after_hours` mode (with no calendar found, never).
    package func takes(at date: Date, calendar: BusinessCalendar?) -> Bool {
        guard isOn else { return false }
        switch mode {
        case .first: return true
        case .afterHours: return calendar.map { !$0.isOpen(at: date) } ?? false
        case .off: return false
        }
    }
}
