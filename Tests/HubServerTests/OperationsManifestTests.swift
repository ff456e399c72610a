import Foundation
import HubCore
import HubServer
import Testing

/// `audit:` and `limits:` in the manifest: defaults, values read, and mistakes named by line and key.
@Suite struct OperationsManifestTests {
    func load(_ yaml: String) -> Result<Manifest, ManifestReport> {
        let loader = ManifestLoader(registry: ChannelKindRegistry([WebChatKind.self]), environment: [:])
        do { return .success(try loader.load(yaml: yaml, file: "hub.yaml")) } catch { return .failure(error) }
    }

    static let base = """
        server: { listen: "127.0.0.1:0" }
        channels:
          - { id: web, kind: webchat }

        """

    @Test func withoutTheSectionsTheDefaultsApply() throws {
        let manifest = try load(Self.base).get()
        #expect(manifest.audit.retention == .seconds(365 * 86_400))
        #expect(manifest.limits == LimitSettings())
    }

    @Test func retentionAndLimitsAreRead() throws {
        let manifest = try load(
            Self.base + """
                audit: { retention: 200d }
                limits:
                  api: { rate: 600/m, burst: 20 }
                  hooks: { rate: 100/s }
                  login: { rate: 30/h, burst: 5 }
                  connections_per_address: 64
                  header_timeout: 5s
                  idle_timeout: 2m
                """
        ).get()
        #expect(manifest.audit.retention == .seconds(200 * 86_400))
        #expect(manifest.limits.api == RateLimit(perSecond: 10, burst: 20))
        #expect(manifest.limits.hooks == RateLimit(perSecond: 100, burst: 100))
        #expect(manifest.limits.login == RateLimit(perSecond: 30.0 / 3600, burst: 5))
        #expect(manifest.limits.connectionsPerAddress == 64)
        #expect(manifest.limits.headerTimeout == .seconds(5) && manifest.limits.idleTimeout == .seconds(120))
    }

    @Test func aRetentionUnder180DaysAndMalformedLimitsAreRefused() {
        let yaml =
            Self.base + """
                audit: { retention: 90d }
                limits:
                  api: { rate: fast }
                  hooks: { burst: 10 }
                  connections_per_address: 0
                  header_timeout: 10ms
                  tls: on
                """
        guard case .failure(let report) = load(yaml) else {
            Issue.record("a retention of 90 days loaded")
            return
        }
        let text = report.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("hub.yaml:4:") && text.contains("audit.retention") && text.contains("at least 180 days"))
        #expect(text.contains("limits.api.rate") && text.contains("'fast'"))
        #expect(text.contains("limits.hooks") && text.contains("rate"))
        #expect(text.contains("limits.connections_per_address"))
        #expect(text.contains("limits.header_timeout") && text.contains("at least 1s"))
        #expect(text.contains("limits") && text.contains("tls"))
    }
}
