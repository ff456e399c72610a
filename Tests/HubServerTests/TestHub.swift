import Foundation
import HTTPTypes
import HubCore
import HubServer
import HubStorage
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Starts the real hub and hands the test a client: by default on 127.0.0.1 port 0 with a
/// fresh SQLite file; with `.router`, in process on an in-memory database, for handler logic
/// that needs neither sockets nor durability.
struct TestHub {
    enum Transport {
        /// Real HTTP and WebSockets over 127.0.0.1, on a database file.
        case live
        /// Requests handed to the router in process, on an in-memory database.
        case router
    }

    static let agentToken = "test-agent-token"

    static func manifest(extraChannels: String = "", outbox: String = "") -> String {
        """
        server:
          listen: 127.0.0.1:0
          max_body_bytes: 4096
        agents:
          - { name: ada, token: "${TEST_AGENT_TOKEN:-\(agentToken)}" }
        \(outbox)
        channels:
          - id: web
            kind: webchat
            # The test socket client sends Origin ws://localhost; a browser sends its page origin.
            settings: { allowed_origins: ["http://shop.test", "ws://localhost"] }
        \(extraChannels)
        """
    }

    static func run(
        manifest yaml: String = manifest(),
        registry: ChannelKindRegistry = ChannelKindRegistry([WebChatKind.self, RelayTestKind.self]),
        transport: Transport = .live,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try ManifestLoader(registry: registry, environment: [:]).load(yaml: yaml, file: "test.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await buildApplication(
            manifest: manifest, registry: registry,
            options: HubOptions(
                databasePath: transport == .live ? directory.appendingPathComponent("hub.sqlite").path : HubDatabase.memoryPath,
                dispatcherTick: .milliseconds(20)),
            logger: logger)
        try await app.test(transport == .live ? .live : .router) { client in
            try await withTimeout(.seconds(60)) { try await body(client) }
        }
    }
}

/// Fails the test instead of hanging when `body` takes longer than `limit`.
func withTimeout(_ limit: Duration, _ body: @Sendable @escaping () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await body()
            return true
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return false
        }
        let finished = try await group.next() ?? false
        group.cancelAll()
        if !finished { Issue.record("timed out after \(limit)") }
    }
}

extension TestClientProtocol {
    /// Sends a request and decodes the JSON answer, returning the status too.
    @discardableResult
    func json(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken, headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }) { response in
            let data = Data(response.body.readableBytesView)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    /// Sends a request and decodes its JSON answer as `T`; a body that does not decode fails the test.
    func decoded<T: Decodable>(
        _ type: T.Type, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken,
        headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, T) {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil { fields[.contentType] = "application/json" }
        let (status, data) = try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }) {
            ($0.status, Data($0.body.readableBytesView))
        }
        return (status, try JSONDecoder().decode(T.self, from: data))
    }

    /// Polls `uri` until `condition` holds on its JSON, for work the hub does in the background.
    func eventually(_ uri: String, timeout: Duration = .seconds(10), _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: [String: Any] = [:]
        while clock.now < deadline {
            last = try await json(.get, uri).1
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("condition not met for \(uri); last answer: \(last)")
        return last
    }
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

func jsonText(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}
