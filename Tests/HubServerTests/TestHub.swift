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

    /// Assist is off unless a test asks for it: training a model at every start would cost
    /// each test a second for nothing it checks.
    static func manifest(extraChannels: String = "", outbox: String = "", assist: String = "assist: { enabled: false }") -> String {
        """
        \(assist)
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
        clock: @escaping @Sendable () -> Date = { Date() },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try ManifestLoader(registry: registry, environment: [:]).load(yaml: yaml, file: "test.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = try await buildApplication(
            manifest: manifest, registry: registry,
            options: {
                var options = HubOptions(
                    databasePath: transport == .live ? directory.appendingPathComponent("hub.sqlite").path : HubDatabase.memoryPath,
                    dispatcherTick: .milliseconds(20))
                options.clock = clock
                options.dataKey = DataKey.random()
                return options
            }(),
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
    /// Sends a request and returns the answer's status and body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken, headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, Data) {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if body != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }) {
            ($0.status, Data($0.body.readableBytesView))
        }
    }

    /// Sends a request and returns only its status, for answers the test reads no further.
    func status(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken, headers: HTTPFields = [:]
    ) async throws -> HTTPResponse.Status {
        try await send(method, uri, body: body, token: token, headers: headers).0
    }

    /// Sends a request and decodes its JSON answer as `T` (snake_case keys read as camelCase);
    /// a body that does not decode fails the test with the decoding error.
    func decoded<T: Decodable>(
        _ type: T.Type, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = TestHub.agentToken,
        headers: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, T) {
        let (status, data) = try await send(method, uri, body: body, token: token, headers: headers)
        do {
            return (status, try Wire.decoder.decode(T.self, from: data))
        } catch {
            Issue.record("\(method) \(uri) answered \(status) with \(String(decoding: data, as: UTF8.self)), not \(T.self)")
            throw error
        }
    }

    /// `GET uri` decoded as `T`, polled until `condition` holds, for work the hub does in the background.
    func eventually<T: Decodable>(
        _ type: T.Type, _ uri: String, timeout: Duration = .seconds(10), _ condition: (T) -> Bool
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        var last = try await decoded(T.self, .get, uri).1
        while !condition(last) {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met for \(uri) within \(timeout); last answer: \(last)")
                return last
            }
            try await Task.sleep(for: .milliseconds(25))
            last = try await decoded(T.self, .get, uri).1
        }
        return last
    }
}

/// Retries `probe` until it finds something, for work the hub does in the background.
func eventually<T>(timeout: Duration = .seconds(10), _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let found = try await probe() { return found }
        try await Task.sleep(for: .milliseconds(25))
    }
    return try #require(try await probe(), "nothing found within \(timeout)")
}

/// A JSON body from an `Encodable` value, for requests.
func jsonBody(_ value: some Encodable) -> String {
    String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
}
