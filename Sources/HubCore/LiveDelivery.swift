/// Pushes messages to customers who hold an open session with the hub (web chat
/// sockets). Implemented by the server; used by adapters whose channel is the hub itself.
package protocol LiveDelivery: Sendable {
    /// Sends `message` to every open session of the thread; returns whether any got it.
    func deliver(_ message: MessageView, channelID: ChannelID, threadKey: String) async -> Bool
}
