import ArgumentParser
import Foundation
import HubCore
import HubStorage

/// `tributary customers merge|undo|export|erase`: bulk clean-up and data requests from the command line, on the
/// manifest's database (safe while the hub runs: SQLite serialises the writes).
struct Customers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge customers or undo merges; export or erase a customer's data.",
        subcommands: [MergeCustomers.self, UndoMerge.self, ExportCustomer.self, EraseCustomer.self])
}

struct MergeCustomers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge customer B (and everything merged into it) into customer A.")

    @OptionGroup var options: ManifestOption
    @Argument(help: "The customer that survives.") var survivor: Int64
    @Argument(help: "The customer merged into it.") var other: Int64
    @Option(help: "Why, for the audit trail.") var reason: String?

    func run() async throws {
        let store = IdentityGraphStore(database: try options.openDatabase())
        let outcome = try await reportingHubErrors {
            try await store.merge(survivor, with: other, actor: "cli", reason: reason, now: Date())
        }
        if let merge = outcome.merge {
            print(
                "merged customer \(merge.absorbed) into \(merge.survivor) (merge \(merge.id)); undo with: tributary customers undo \(merge.id)"
            )
        } else {
            print("customers \(survivor) and \(other) are already one customer (\(outcome.customer)); nothing changed")
        }
    }
}

struct UndoMerge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo a merge: the absorbed customer gets back its identities, conversations and events.")

    @OptionGroup var options: ManifestOption
    @Argument(help: "The merge id (from `merge` or GET /api/v1/customers/{id}/merges).") var merge: Int64

    func run() async throws {
        let store = IdentityGraphStore(database: try options.openDatabase())
        let undone = try await reportingHubErrors { try await store.undo(mergeID: merge, actor: "cli", now: Date()) }
        print("undid merge \(undone.id): customer \(undone.absorbed) is separate from \(undone.survivor) again")
    }
}

/// Runs `body`, turning a ``HubError`` into its message on standard error and exit status 1.
func reportingHubErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as HubError {
        var standardError = StandardError()
        print("error: \(error.message)", to: &standardError)
        throw ExitCode(1)
    }
}

extension ManifestOption {
    /// The manifest's database, migrated.
    func openDatabase() throws -> HubDatabase {
        try HubDatabase.open(path: try load().server.databasePath)
    }
}
