import ArgumentParser
import Foundation
import HubCore
import HubStorage

/// `tributary audit verify`: walks the audit chain and names the first row that was edited,
/// inserted or deleted; exits 1 on a broken chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail: check that no row was edited, inserted or deleted.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the audit chain; exit 1 at the first broken row.")

        @OptionGroup var manifest: ManifestOption

        func run() async throws {
            let loaded = try manifest.load()
            let store = AuditStore(database: try HubDatabase.open(path: loaded.server.databasePath))
            let started = Date()
            let verdict = try await store.verify()
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            switch verdict {
            case .intact(let rows):
                print("audit chain intact: \(rows) rows verified in \(seconds) s")
            case .edited(let id):
                print("audit chain broken: row \(id) was edited (its content no longer matches its hash)")
                throw ExitCode(1)
            case .deletedBefore(let id):
                print("audit chain broken: rows before row \(id) were deleted")
                throw ExitCode(1)
            case .inserted(let id):
                print("audit chain broken: row \(id) was inserted")
                throw ExitCode(1)
            case .truncated(let after):
                print("audit chain broken: rows after row \(after) were deleted (the chain's head is gone)")
                throw ExitCode(1)
            }
        }
    }
}
