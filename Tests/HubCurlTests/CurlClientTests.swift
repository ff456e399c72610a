import Foundation
import HTTPTypes
import HubCurl
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Holds the provider's `/stall` answer until the test opens it, so a transfer that
/// was not aborted would wait the whole `stallLimit` instead of a guessable few seconds.
final class StallGate: Sendable {
    private let opened = Atomic<Bool>(false)
    func open() { opened.store(true, ordering: .relaxed) }
    var isOpen: Bool { opened.load(ordering: .relaxed) }
}

/// libcurl against a real Hummingbird server on 127.0.0.1.
@Suite struct CurlClientTests {
    static let stallLimit = Duration.seconds(30)

    static func providerApp(stall: StallGate) -> some ApplicationProtocol {
        let router = Router()
        router.get("json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", HTTPField.Name("X-Shopify-Shop-Api-Call-Limit")!: "39/40"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.post("echo") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let authorization = request.headers[.authorization] ?? "-"
            let custom = request.headers[HTTPField.Name("X-Custom")!] ?? "-"
            let expect = request.headers[.expect] ?? "-"
            return Response(
                status: .created, headers: [.contentType: "text/plain"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "\(request.method.rawValue)|\(authorization)|\(custom)|\(expect)|\(String(buffer: body))")))
        }
        router.put("echo") { request, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: request.method.rawValue)))
        }
        router.get("moved") { _, _ in
            Response(status: .found, headers: [.location: "/json"])
        }
        router.get("stall") { _, _ in
            let until = ContinuousClock.now + stallLimit
            while !stall.isOpen, ContinuousClock.now < until {
                try await Task.sleep(for: .milliseconds(50))
            }
            return Response(status: .ok)
        }
        router.get("big") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 0x61, count: 200_000)))
        }
        router.get("fail") { _, _ in
            Response(
                status: .tooManyRequests, headers: [.retryAfter: "7"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"code":20429}"#)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func withProvider(
        stall: StallGate = StallGate(), _ body: @escaping @Sendable (String) async throws -> Void
    ) async throws {
        try await providerApp(stall: stall).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let curl = CurlClient(workers: 2)
        try await Self.withProvider { base in
            let response = try await curl.perform(CurlRequest(url: base + "/json"))
            #expect(response.status == 200)
            #expect(response.text == #"{"ok":true}"#)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("x-shopify-shop-api-call-limit") == "39/40")
        }
    }

    @Test func postSendsBodyHeadersAndBasicAuthWithoutExpectContinue() async throws {
        let curl = CurlClient(workers: 2)
        try await Self.withProvider { base in
            let body = Array(String(repeating: "x", count: 4000).utf8) + Array("中文".utf8)
            let response = try await curl.perform(
                CurlRequest(
                    method: "POST", url: base + "/echo", headers: [("X-Custom", "yes")], body: body,
                    basicAuth: ("AC123", "secret")))
            #expect(response.status == 201)
            let fields = response.text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0] == "POST")
            #expect(fields[1] == "Basic " + Data("AC123:secret".utf8).base64EncodedString())
            #expect(fields[2] == "yes")
            #expect(fields[3] == "-")
            #expect(Array(fields[4].utf8) == body)
            let put = try await curl.perform(CurlRequest(method: "PUT", url: base + "/echo", body: Array("a".utf8)))
            #expect(put.text == "PUT")
        }
    }

    @Test func aWorkerReusesItsConnectionToTheSameProvider() async throws {
        let curl = CurlClient(workers: 1)
        try await Self.withProvider { base in
            let first = try await curl.perform(CurlRequest(url: base + "/json"))
            let second = try await curl.perform(CurlRequest(method: "POST", url: base + "/echo", body: Array("x".utf8)))
            let third = try await curl.perform(CurlRequest(url: base + "/json"))
            #expect(first.newConnections == 1)
            #expect(second.newConnections == 0)
            #expect(third.newConnections == 0)
        }
    }

    @Test func redirectsAreNotFollowedUnlessAsked() async throws {
        let curl = CurlClient(workers: 1)
        try await Self.withProvider { base in
            let plain = try await curl.perform(CurlRequest(url: base + "/moved"))
            #expect(plain.status == 302)
            #expect(plain.header("location") == "/json")
            let followed = try await curl.perform(CurlRequest(url: base + "/moved", followRedirects: true))
            #expect(followed.status == 200)
            #expect(followed.text == #"{"ok":true}"#)
        }
    }

    @Test func providerErrorsAreResponsesNotThrows() async throws {
        let curl = CurlClient(workers: 1)
        try await Self.withProvider { base in
            let response = try await curl.perform(CurlRequest(url: base + "/fail"))
            #expect(response.status == 429)
            #expect(!response.isSuccess)
            #expect(response.header("Retry-After") == "7")
        }
    }

    @Test func refusedConnectionIsNamed() async throws {
        let curl = CurlClient(workers: 1)
        // Port 9 (discard) on loopback has no listener here.
        do {
            _ = try await curl.perform(CurlRequest(url: "http://127.0.0.1:9/", connectTimeout: .seconds(2)))
            Issue.record("expected a connection failure")
        } catch {
            #expect(error.name == "CURLE_COULDNT_CONNECT")
            #expect(error.isTransient)
        }
    }

    @Test func totalTimeoutStopsASlowProvider() async throws {
        let curl = CurlClient(workers: 1)
        let stall = StallGate()
        try await Self.withProvider(stall: stall) { base in
            let started = ContinuousClock.now
            do {
                _ = try await curl.perform(CurlRequest(url: base + "/stall", timeout: .milliseconds(300)))
                Issue.record("expected a timeout")
            } catch let error as CurlError {
                #expect(error.name == "CURLE_OPERATION_TIMEDOUT")
            }
            let waited = ContinuousClock.now - started
            stall.open()
            #expect(waited < Self.stallLimit / 3)
        }
    }

    @Test func oversizedResponseFailsInsteadOfFillingMemory() async throws {
        let curl = CurlClient(workers: 1)
        try await Self.withProvider { base in
            do {
                _ = try await curl.perform(CurlRequest(url: base + "/big", maxResponseBytes: 100_000))
                Issue.record("expected the size limit to stop the transfer")
            } catch let error as CurlError {
                #expect(error.name == "CURLE_WRITE_ERROR")
                #expect(error.message.contains("100000"))
            }
            let fits = try await curl.perform(CurlRequest(url: base + "/big"))
            #expect(fits.body.count == 200_000)
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let curl = CurlClient(workers: 1)
        let stall = StallGate()
        try await Self.withProvider(stall: stall) { base in
            let transfer = Task { try await curl.perform(CurlRequest(url: base + "/stall", timeout: .seconds(60))) }
            try await Task.sleep(for: .milliseconds(200))
            let cancelled = ContinuousClock.now
            transfer.cancel()
            let result = await transfer.result
            let waited = ContinuousClock.now - cancelled
            stall.open()
            guard case .failure(let error as CurlError) = result else {
                Issue.record("expected the cancelled transfer to fail, got \(result)")
                return
            }
            #expect(error.name == "CURLE_ABORTED_BY_CALLBACK")
            // libcurl polls the progress callback about once a second while no data
            // flows; a transfer that ignored the cancel would wait out the 30 s stall.
            #expect(waited < Self.stallLimit / 3)
        }
    }

    /// More transfers than workers: they queue on the client's threads and all complete,
    /// while the cooperative pool stays free to run the server answering them.
    @Test func manyConcurrentTransfersOnFewWorkers() async throws {
        let curl = CurlClient(workers: 2)
        try await Self.withProvider { base in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        try await curl.perform(CurlRequest(method: "POST", url: base + "/echo", body: Array("\(index)".utf8))).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 64)
            #expect(statuses.allSatisfy { $0 == 201 })
        }
    }
}
