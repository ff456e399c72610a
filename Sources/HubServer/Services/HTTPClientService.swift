import HubCurl
import ServiceLifecycle

/// Starts the hub's one HTTP client with the app and stops it last: once the services that
/// call providers have stopped, its workers finish what is queued and exit.
struct HTTPClientService: Service {
    let client: CurlClient

    func run() async throws {
        client.start()
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
