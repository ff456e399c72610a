package import Hummingbird
package import HummingbirdWebSocket
import NIOCore

/// The per-request context of every route, WebSocket upgrades included.
package struct HubRequestContext: RequestContext, WebSocketRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let webSocket: WebSocketHandlerReference<HubRequestContext>
    /// The caller a valid bearer token named, set by ``AgentAuthMiddleware``.
    package var principal: Principal?
    /// The token it presented (logging out ends that session).
    var bearerToken: String?
    /// The client's address, for the audit trail; `nil` in the router test transport.
    let sourceIP: String?

    /// The caller's name, as replies are signed.
    package var agentName: String? { principal?.name }

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.principal = nil
        self.bearerToken = nil
        self.sourceIP = source.channel.remoteAddress?.ipAddress
    }

    /// The API's one JSON encoder, for every typed answer.
    package var responseEncoder: some ResponseEncoder { APIResponseEncoder() }
}
