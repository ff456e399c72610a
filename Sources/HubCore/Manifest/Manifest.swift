/// The hub's configuration, as validated from `hub.yaml`.
package struct Manifest: Sendable {
    package var server: ServerSettings
    package var agents: [AgentCredential]
    package var identity: IdentitySettings
    package var outbox: OutboxSettings
    package var channels: [ChannelConfig]
    /// Integrators' endpoints for events (`webhooks:`).
    package var webhooks: [OutboundWebhook]
    /// `teams:` and `routing:`: who works on what, and how conversations reach them.
    package var routing: RoutingSettings
    /// `assist:`: the text model, the knowledge base and optional model endpoints.
    package var assist: AssistSettings = AssistSettings()
    /// `calendars:`: opening hours, holidays and worked weekend days, named by bots and SLA policies.
    package var calendars: [BusinessCalendar] = []
    /// `tickets:` and `sla:`: automatic tickets, custom fields, surveys, closing, service levels.
    package var tickets = TicketSettings()
    /// `audit:`: how long the audit trail is kept.
    package var audit = AuditSettings()
    /// `limits:`: request rates per token, channel and login, and connection limits.
    package var limits = LimitSettings()

    package init(
        server: ServerSettings = ServerSettings(),
        agents: [AgentCredential] = [],
        identity: IdentitySettings = IdentitySettings(),
        outbox: OutboxSettings = OutboxSettings(),
        channels: [ChannelConfig] = [],
        webhooks: [OutboundWebhook] = [],
        routing: RoutingSettings = RoutingSettings()
    ) {
        self.webhooks = webhooks
        self.routing = routing
        self.server = server
        self.agents = agents
        self.identity = identity
        self.outbox = outbox
        self.channels = channels
    }

    /// The channel with `id`, if the manifest declares one.
    package func channel(_ id: ChannelID) -> ChannelConfig? {
        channels.first { $0.id == id }
    }
}

/// A certificate chain and its private key, as PEM files.
package struct TLSFiles: Sendable, Hashable {
    package var certificate: String
    package var key: String

    package init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }
}

/// The `server:` section.
package struct ServerSettings: Sendable, Hashable {
    package var host: String
    package var port: Int
    /// The base URL providers call; webhook signatures are computed over it.
    package var publicURL: String?
    package var databasePath: String
    package var maxBodyBytes: Int
    /// `tls: { certificate, key }`: PEM files; the hub then serves HTTPS itself.
    package var tls: TLSFiles?

    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicURL: String? = nil,
        databasePath: String = "./data/tributary.sqlite",
        maxBodyBytes: Int = 1_048_576
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.databasePath = databasePath
        self.maxBodyBytes = maxBodyBytes
    }
}

/// An integration token of the manifest's `agents:` section.
package struct AgentCredential: Sendable, Hashable {
    package var name: String
    package var token: String
    /// What the token may do; `nil` (no `scopes:`) keeps the full access such tokens always had.
    package var scopes: Set<Permission>?

    package init(name: String, token: String, scopes: Set<Permission>? = nil) {
        self.name = name
        self.token = token
        self.scopes = scopes
    }
}

/// The `identity:` section: how customers are recognised across channels.
package struct IdentitySettings: Sendable, Hashable {
    /// ISO region for phone numbers typed without a country code.
    package var defaultRegion: String
    /// Identifier kinds that merge customers on their own.
    package var autoMerge: [String]
    /// Identifier kinds that only propose a merge to an agent.
    package var propose: [String]

    /// Safe defaults: only identifiers a channel proves merge on their own; a typed
    /// email or a name with a phone suffix asks an agent first.
    package init(
        defaultRegion: String = "US", autoMerge: [String] = ["phone", "email_verified", "wechat_unionid", "shop_customer"],
        propose: [String] = ["email", "name_phone_suffix"]
    ) {
        self.defaultRegion = defaultRegion
        self.autoMerge = autoMerge
        self.propose = propose
    }
}

/// The `outbox:` section: how hard the hub tries to deliver a reply.
package struct OutboxSettings: Sendable, Hashable {
    package var maxAttempts: Int
    package var initialBackoff: Duration
    package var maxBackoff: Duration

    package init(maxAttempts: Int = 8, initialBackoff: Duration = .seconds(2), maxBackoff: Duration = .seconds(600)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}

/// One entry of `channels:`.
package struct ChannelConfig: Sendable, Hashable {
    package var id: ChannelID
    package var kind: String
    /// The plug-in file of a declarative channel, resolved to a path.
    package var plugin: String?
    package var settings: ChannelSettings
    /// The channel's `bot:` block; `nil` when the bot does not answer on it.
    package var bot: BotSettings?
    /// Where the entry starts in the manifest, for runtime errors that point back to it.
    package var line: Int

    package init(
        id: ChannelID, kind: String, plugin: String? = nil, settings: ChannelSettings = ChannelSettings(), bot: BotSettings? = nil,
        line: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.plugin = plugin
        self.settings = settings
        self.bot = bot
        self.line = line
    }
}
