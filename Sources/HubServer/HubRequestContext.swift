import Hummingbird
import HummingbirdWebSocket

/// The per-request context of every route, WebSocket upgrades included.
public struct HubRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<HubRequestContext>
    /// The agent a valid bearer token named, set by ``AgentAuthMiddleware``.
    public var agentName: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.agentName = nil
    }

    /// The API's one JSON encoder, for every typed answer.
    public var responseEncoder: some ResponseEncoder { APIResponseEncoder() }
}
