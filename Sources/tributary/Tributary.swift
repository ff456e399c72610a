import ArgumentParser

/// `tributary`: the customer-service channel hub.
@main
struct Tributary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "A customer-service channel hub: one customer, one timeline, every channel.",
        subcommands: [
            Serve.self, Check.self, Customers.self, Agents.self, Import.self, Sync.self, KnowledgeCommand.self, AssistCommand.self,
            SLACommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self,
            KeysCommand.self, ReportCommand.self,
        ],
        defaultSubcommand: Serve.self)
}
