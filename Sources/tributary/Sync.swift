import ArgumentParser
import Foundation
import HubCore
import HubServer
import Logging

/// `tributary sync CHANNEL [--since DATE]`: one pass of a shop's orders in the
/// foreground, with progress and a summary.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pull a syncing channel's orders now (a backfill with --since), through the same inbox as its webhooks.")

    @OptionGroup var options: ManifestOption
    @Argument(help: "The channel id, e.g. shop.") var channel: String
    @Option(help: "Backfill from this date (2024-01-31 or ISO 8601) instead of the channel's watermark.") var since: String?

    func run() async throws {
        let manifest = try options.load()
        var start: Date?
        if let since {
            guard let parsed = (try? Date(since, strategy: .iso8601)) ?? (try? Date(since + "T00:00:00Z", strategy: .iso8601)) else {
                throw ValidationError("--since: expected a date such as 2024-01-31 or 2024-01-31T08:00:00Z")
            }
            start = parsed
        }
        var logger = Logger(label: "tributary.sync")
        logger.logLevel = .warning
        let started = ContinuousClock.now
        let interactive = isatty(STDERR_FILENO) == 1
        let summary = try await reportingSyncFailures {
            try await SyncRunner.run(manifest: manifest, channelID: channel, since: start, registry: .executable, logger: logger) {
                progress in
                var standardError = StandardError()
                let line = "sync \(progress.pages) pages, \(progress.items) orders (\(progress.created) new, \(progress.updated) updated)"
                print(interactive ? "\r" + line : line, terminator: interactive ? "" : "\n", to: &standardError)
            }
        }
        if interactive {
            var standardError = StandardError()
            print("", to: &standardError)
        }
        print(
            """
            synced channel \(channel) in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s
              pages      \(summary.pages)
              orders     \(summary.items)
              created    \(summary.created)
              updated    \(summary.updated)
              unchanged  \(summary.unchanged)
              throttled  \(summary.throttled)
              errors     \(summary.errors)
            """)
    }
}

/// Like ``reportingHubErrors``, and a provider that could not be synced is reported the same way.
func reportingSyncFailures<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await reportingHubErrors(body)
    } catch let failure as SyncFailure {
        var standardError = StandardError()
        print("error: \(LogRedaction.redact(failure.message))", to: &standardError)
        throw ExitCode(1)
    }
}
