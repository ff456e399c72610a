import ArgumentParser
import HubCore

/// `tributary check`: validate a manifest before deploying it.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a manifest; print every problem with file, line and key. Exit status 0 only when valid.")

    @OptionGroup var options: ManifestOption

    func run() throws {
        let manifest = try options.load()
        let kinds = manifest.channels.map { "\($0.id) (\($0.kind))" }.joined(separator: ", ")
        print("\(options.manifest): valid; \(manifest.channels.count) channel\(manifest.channels.count == 1 ? "" : "s"): \(kinds)")
        let bots = manifest.channels.compactMap { channel -> String? in
            guard let bot = channel.bot, bot.isOn else { return nil }
            return bot.mode == .afterHours ? "\(channel.id) (after hours, \(bot.calendar ?? "?"))" : "\(channel.id)"
        }
        if !bots.isEmpty { print("the bot answers on \(bots.joined(separator: ", "))") }
        let policies = manifest.tickets.policies.map { "\($0.id) (\($0.calendar ?? "every hour"))" }
        if !policies.isEmpty { print("SLA policies, the first match applies: \(policies.joined(separator: ", "))") }
    }
}
