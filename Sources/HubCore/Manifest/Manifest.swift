/// The hub's configuration, as validated from `hub.yaml`.
public struct Manifest: Sendable {
    public var server: ServerSettings
    public var agents: [AgentCredential]
    public var identity: IdentitySettings
    public var outbox: OutboxSettings
    public var channels: [ChannelConfig]
    /// Integrators' endpoints for events (`webhooks:`).
    public var webhooks: [OutboundWebhook]

    public init(
        server: ServerSettings = ServerSettings(),
        agents: [AgentCredential] = [],
        identity: IdentitySettings = IdentitySettings(),
        outbox: OutboxSettings = OutboxSettings(),
        channels: [ChannelConfig] = [],
        webhooks: [OutboundWebhook] = []
    ) {
        self.webhooks = webhooks
        self.server = server
        self.agents = agents
        self.identity = identity
        self.outbox = outbox
        self.channels = channels
    }

    /// The channel with `id`, if the manifest declares one.
    public func channel(_ id: ChannelID) -> ChannelConfig? {
        channels.first { $0.id == id }
    }
}

/// The `server:` section.
public struct ServerSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// The base URL providers call; webhook signatures are computed over it.
    public var publicURL: String?
    public var databasePath: String
    public var maxBodyBytes: Int

    public init(
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

/// An agent allowed to use the API with a bearer token.
public struct AgentCredential: Sendable, Hashable {
    public var name: String
    public var token: String

    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }
}

/// The `identity:` section: how customers are recognised across channels.
public struct IdentitySettings: Sendable, Hashable {
    /// ISO region for phone numbers typed without a country code.
    public var defaultRegion: String
    /// Identifier kinds that merge customers on their own.
    public var autoMerge: [String]
    /// Identifier kinds that only propose a merge to an agent.
    public var propose: [String]

    /// Safe defaults: only identifiers a channel proves merge on their own; a typed
    /// email or a name with a phone suffix asks an agent first.
    public init(
        defaultRegion: String = "US", autoMerge: [String] = ["phone", "email_verified", "wechat_unionid", "shop_customer"],
        propose: [String] = ["email", "name_phone_suffix"]
    ) {
        self.defaultRegion = defaultRegion
        self.autoMerge = autoMerge
        self.propose = propose
    }
}

/// The `outbox:` section: how hard the hub tries to deliver a reply.
public struct OutboxSettings: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int = 8, initialBackoff: Duration = .seconds(2), maxBackoff: Duration = .seconds(600)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}

/// One entry of `channels:`.
public struct ChannelConfig: Sendable, Hashable {
    public var id: ChannelID
    public var kind: String
    /// The plug-in file of a declarative channel, resolved to a path.
    public var plugin: String?
    public var settings: ChannelSettings
    /// Where the entry starts in the manifest, for runtime errors that point back to it.
    public var line: Int

    public init(id: ChannelID, kind: String, plugin: String? = nil, settings: ChannelSettings = ChannelSettings(), line: Int = 0) {
        self.id = id
        self.kind = kind
        self.plugin = plugin
        self.settings = settings
        self.line = line
    }
}
