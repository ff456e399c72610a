import ArgumentParser
import Foundation
import HubCore
import HubServer
import HubStorage

/// `tributary customers export ID`: everything held about a person as JSON, unmasked; audited.
struct ExportCustomer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything held about a customer as JSON: identities, messages, orders, tickets, surveys, merges.")

    @OptionGroup var options: ManifestOption
    @Argument(help: "The customer id (any id merged into them works too).") var customer: Int64
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        let manifest = try options.load()
        let database = try HubDatabase.open(path: manifest.server.databasePath)
        let tickets = TicketStore(
            database: database, setup: SLASetup(settings: manifest.tickets, calendars: manifest.calendars),
            teams: Set(manifest.routing.teams.map(\.id)))
        let now = Date()
        guard let export = try await CustomerExporter(database: database, tickets: tickets).export(customerID: customer, now: now) else {
            var standardError = StandardError()
            print("error: no customer with id \(customer)", to: &standardError)
            throw ExitCode(1)
        }
        try await AuditStore(database: database).append(
            AuditEntry(at: now, actor: "cli", action: "customer.export", target: "customer:\(export.customerID)", detail: output))
        let data = try CustomerExporter.json(export)
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}

/// `tributary customers erase ID --confirm`: anonymises a customer; without `--confirm` it only
/// says what would go.
struct EraseCustomer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Anonymise a customer (and everyone merged with them): identities removed, texts replaced; orders kept.")

    @OptionGroup var options: ManifestOption
    @Argument(help: "The customer id.") var customer: Int64
    @Flag(help: "Really erase. Without it nothing changes.") var confirm = false
    @Option(help: "Why, for the audit trail (a request's reference).") var reason: String?

    func run() async throws {
        let database = try options.openDatabase()
        guard confirm else {
            guard let profile = try await CustomerStore(database: database).profile(id: customer) else {
                var standardError = StandardError()
                print("error: no customer with id \(customer)", to: &standardError)
                throw ExitCode(1)
            }
            print(
                "would erase customer \(profile.id) (\(profile.mergedCustomers.count + 1) records, \(profile.identities.count) identities); "
                    + "nothing changed: run again with --confirm")
            throw ExitCode(2)
        }
        guard
            let summary = try await CustomerErasure(database: database).erase(
                customerID: customer, actor: "cli", reason: reason, now: Date())
        else {
            var standardError = StandardError()
            print("error: no customer with id \(customer)", to: &standardError)
            throw ExitCode(1)
        }
        print(
            "erased customer \(summary.customer): \(summary.customers) records, \(summary.identities) identities removed, "
                + "\(summary.messages) messages in \(summary.conversations) conversations replaced with \(CustomerErasure.marker); "
                + "\(summary.orders) orders kept")
    }
}
