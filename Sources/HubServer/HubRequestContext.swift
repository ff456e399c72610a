package import Hummingbird
package import HummingbirdWebSocket

/// The per-request context of every route, WebSocket upgrades included.
package struct HubRequestContext: RequestContext, WebSocketRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let webSocket: WebSocketHandlerReference<HubRequestContext>
    /// The agent a valid bearer token named, set by ``AgentAuthMiddleware``.
    package var agentName: String?

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.agentName = nil
    }

    /// The API's one JSON encoder, for every typed answer.
    package var responseEncoder: some ResponseEncoder { APIResponseEncoder() }
}
