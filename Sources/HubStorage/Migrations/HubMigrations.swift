package import GRDB

/// The schema, as an append-only list of migrations: a shipped migration is never
/// edited, a change is a new one. Each is a function in a file of its own beside this one
/// (`V8StagedProcessing.swift`); its identifier, the string registered here, is what a
/// database remembers, so it never changes either.
package enum HubMigrations {
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(
            "v1 inbox, customers, conversations, messages, timeline, outbox", migrate: v1InboxCustomersConversationsOutbox)
        migrator.registerMigration("v2 identity graph: roots, merges, proposals, attributes", migrate: v2IdentityGraph)
        migrator.registerMigration("v3 signed channels: contact windows and opt-outs, delivery reports", migrate: v3SignedChannels)
        migrator.registerMigration("v4 orders, fulfilments, sync state", migrate: v4OrdersFulfilmentsSyncState)
        migrator.registerMigration("v5 parcel tracking", migrate: v5ParcelTracking)
        migrator.registerMigration("v6 mail threading", migrate: v6MailThreading)
        migrator.registerMigration("v7 mail participants", migrate: v7MailParticipants)
        migrator.registerMigration("v8 staged processing, event log, outbound webhooks, subjects", migrate: v8StagedProcessingAndEventLog)
        migrator.registerMigration("v9 agents, sessions, conversation workflow, routing", migrate: v9AgentsAndRouting)
        migrator.registerMigration("v10 message analysis, conversation types, knowledge base with versions", migrate: v10AssistAndKnowledge)
        migrator.registerMigration("v11 the bot: conversation state and turns", migrate: v11Bot)
        migrator.registerMigration("v12 tickets, SLA clocks, follow-ups, surveys, notifications", migrate: v12Tickets)
        migrator.registerMigration("v13 drafts per conversation and agent", migrate: v13Drafts)
        migrator.registerMigration("v14 cc on a mail reply", migrate: v14ReplyCc)
        migrator.registerMigration("v15 the audit trail", migrate: v15Audit)
        migrator.registerMigration("v16 erased customers", migrate: v16Erasure)
        migrator.registerMigration("v17 the data key check", migrate: v17DataKeyCheck)
        migrator.registerMigration("v18 analytics", migrate: v18Analytics)
        migrator.registerMigration("v19 analytics rollups", migrate: v19AnalyticsRollups)
        migrator.registerMigration("v20 analytics queue", migrate: v20AnalyticsQueue)
        migrator.registerMigration("v21 metric dirty triggers", migrate: v21MetricDirtyTriggers)
        return migrator
    }
}
