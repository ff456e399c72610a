import Foundation
import HubCore
import HubServer
import Testing

/// `sla:` and `tickets:` in the manifest: read into policies and rules, mistakes named by line and key.
@Suite struct TicketManifestTests {
    func load(_ yaml: String) -> Result<Manifest, ManifestReport> {
        let loader = ManifestLoader(registry: ChannelKindRegistry([WebChatKind.self]), environment: [:])
        do { return .success(try loader.load(yaml: yaml, file: "hub.yaml")) } catch { return .failure(error) }
    }

    static let base = """
        server: { listen: "127.0.0.1:0" }
        channels:
          - { id: sms, kind: webchat }
        teams: [{ id: care }]
        calendars:
          - id: cn-office
            time_zone: Asia/Shanghai
            weekly: { mon-fri: ["09:00-12:00", "13:30-18:00"] }

        """

    @Test func slaPoliciesAndTicketRulesAreRead() throws {
        let yaml =
            Self.base + """
            sla:
              - id: vip
                calendar: cn-office
                match: { priority: [high, urgent], labels: [vip] }
                first_response: 30m
                next_response: 2h
                resolution: 16h
                warn_before: 80%
                escalate: { priority: urgent, team: care }
              - id: default
                first_response: 4h
            tickets:
              auto_create: [{ when: { channel: sms } }, { when: { intent: complaint } }, { when: { type: after_sales, has_order: true } }]
              fields: [{ id: courier, type: choice, options: [SF, YTO] }]
              close_after: 3d
            """
        guard case .success(let manifest) = load(yaml) else { Issue.record("\(load(yaml))"); return }
        let vip = try #require(manifest.tickets.policies.first)
        #expect(vip.targets == [.firstResponse: 1_800, .nextResponse: 7_200, .resolution: 57_600])
        #expect(vip.warning.map { $0.lead(budget: 1_800) } == 360)
        #expect(vip.match.priorities == [.high, .urgent] && vip.match.labels == ["vip"])
        #expect(vip.escalation == SLAEscalation(priority: .urgent, team: "care"))
        #expect(manifest.tickets.autoCreate.count == 3)
        #expect(manifest.tickets.autoCreate[2] == TicketRuleCondition(types: [.afterSales], hasOrder: true))
        #expect(manifest.tickets.closeAfter == .seconds(3 * 86_400))
        let policy = manifest.tickets.policy(priority: .normal, type: nil, channel: "sms", labels: ["vip"])
        #expect(policy?.id == "default")
        #expect(manifest.tickets.policy(priority: .high, type: nil, channel: "sms", labels: ["vip"])?.id == "vip")
    }

    @Test func mistakesAreNamedByLineAndKey() {
        let yaml =
            Self.base + """
            sla:
              - id: vip
                calendar: cn-ofice
                match: { priority: [hgh] }
                first_response: soon
                warn_before: 150%
            tickets:
              auto_create: [{ when: { channel: fax } }]
            """
        guard case .failure(let report) = load(yaml) else { Issue.record("a broken policy loaded"); return }
        let text = report.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("hub.yaml:10:") && text.contains("sla[0].calendar") && text.contains("unknown calendar 'cn-ofice'"))
        #expect(text.contains("sla[0].match.priority[0]") && text.contains("unknown priority 'hgh'"))
        #expect(text.contains("sla[0].first_response"))
        #expect(text.contains("sla[0].warn_before"))
        #expect(text.contains("tickets.auto_create[0].when.channel[0]") && text.contains("unknown channel 'fax'"))
    }
}
