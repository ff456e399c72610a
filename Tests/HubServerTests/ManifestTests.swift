import Foundation
import HubCore
import HubServer
import Testing

@Suite struct ManifestTests {
    let loader = ManifestLoader(
        registry: ChannelKindRegistry([WebChatKind.self]),
        environment: ["DEMO_TOKEN": "s3cret-token", "EMPTY": ""])

    func problems(_ yaml: String) -> [ManifestProblem] {
        do {
            _ = try loader.load(yaml: yaml, file: "hub.yaml")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func validManifestDecodesEverySection() throws {
        let manifest = try loader.load(
            yaml: """
                server:
                  listen: 0.0.0.0:9090
                  public_url: https://support.example.com/
                  database: ${DB_PATH:-/tmp/hub.sqlite}
                  max_body_bytes: 2048
                agents:
                  - { name: demo, token: "${DEMO_TOKEN}" }
                identity:
                  default_region: CN
                  auto_merge: [phone, email_verified]
                  propose: [email]
                outbox:
                  max_attempts: 3
                  initial_backoff: 500ms
                channels:
                  - id: web
                    kind: webchat
                    settings: { allowed_origins: ["https://shop.example.com"], max_text_length: 100 }
                """, file: "hub.yaml")
        #expect(manifest.server.host == "0.0.0.0")
        #expect(manifest.server.port == 9090)
        #expect(manifest.server.publicURL == "https://support.example.com")
        #expect(manifest.server.databasePath == "/tmp/hub.sqlite")
        #expect(manifest.server.maxBodyBytes == 2048)
        #expect(manifest.agents == [AgentCredential(name: "demo", token: "s3cret-token")])
        #expect(manifest.identity == IdentitySettings(defaultRegion: "CN", autoMerge: ["phone", "email_verified"], propose: ["email"]))
        #expect(manifest.outbox.maxAttempts == 3)
        #expect(manifest.outbox.initialBackoff == .milliseconds(500))
        let channel = try #require(manifest.channel("web"))
        #expect(channel.kind == "webchat")
        #expect(channel.settings.list("allowed_origins") == ["https://shop.example.com"])
        #expect(channel.settings.integer("max_text_length") == 100)
        #expect(channel.settings.string("title") == "Chat with us", "defaults fill absent settings")
    }

    @Test func unknownKindNamesLineAndKey() {
        let found = problems(
            """
            channels:
              - id: wx
                kind: wechatt
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.keyPath == "channels[0].kind")
        #expect(found.first?.message.contains("unknown channel kind 'wechatt'") == true)
        #expect(found.first?.description.hasPrefix("hub.yaml:3:") == true)
    }

    @Test func mistypedSettingAndUnknownSettingKey() {
        let found = problems(
            """
            channels:
              - id: web
                kind: webchat
                settings:
                  max_text_length: many
                  allowed_origin: ["*"]
            """)
        #expect(found.map(\.keyPath).sorted() == ["channels[0].settings.allowed_origin", "channels[0].settings.max_text_length"])
        #expect(found.first { $0.keyPath.hasSuffix("max_text_length") }?.line == 5)
        #expect(found.first { $0.keyPath.hasSuffix("allowed_origin") }?.line == 6)
    }

    @Test func missingRequiredKeys() {
        let found = problems(
            """
            channels:
              - kind: webchat
            """)
        #expect(found.map(\.keyPath) == ["channels[0].id"])
        #expect(found.first?.message == "missing required key")
    }

    @Test func unsetEnvironmentVariableIsReportedAndDefaultsApply() {
        let found = problems(
            """
            server:
              database: ${NOT_SET_ANYWHERE}
            agents:
              - { name: a, token: "${MISSING_TOKEN}" }
              - { name: b, token: "${MISSING_TOKEN_2:-fallback-token}" }
            channels:
              - { id: web, kind: webchat }
            """)
        #expect(found.map(\.keyPath) == ["server.database", "agents[0].token"])
        #expect(found.map(\.line) == [2, 4])
        #expect(found.allSatisfy { $0.message.contains("is not set") })
    }

    @Test func literalSecretIsRefused() {
        let found = problems(
            """
            agents:
              - { name: a, token: "written-in-the-file" }
            channels:
              - { id: web, kind: webchat }
            """)
        #expect(found.map(\.keyPath) == ["agents[0].token"])
        #expect(found.first?.message.contains("environment") == true)
    }

    @Test func duplicateChannelIdPointsAtBothDeclarations() {
        let found = problems(
            """
            channels:
              - id: web
                kind: webchat
              - id: web
                kind: webchat
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 4)
        #expect(found.first?.message.contains("first declared at line 2") == true)
    }

    @Test func malformedURLAndListen() {
        let found = problems(
            """
            server:
              listen: nowhere
              public_url: "ftp://example.com"
            channels:
              - { id: web, kind: webchat }
            """)
        #expect(found.map(\.keyPath) == ["server.listen", "server.public_url"])
        #expect(found.map(\.line) == [2, 3])
    }

    @Test func invalidChannelIdAndUnknownTopLevelKey() {
        let found = problems(
            """
            chanels: []
            channels:
              - { id: Web_1, kind: webchat }
            """)
        #expect(found.map(\.keyPath).sorted() == ["chanels", "channels[0].id"])
    }

    @Test func yamlSyntaxErrorHasAPosition() {
        let found = problems("channels:\n  - id: web\n    kind: [webchat\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 3)
        #expect(found.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = problems(
            """
            identity: { default_region: china, auto_merge: [palm_print] }
            channels:
              - { id: a, kind: nope }
              - { id: b, kind: webchat, settings: { title: [x] } }
            """)
        #expect(found.count == 4)
    }

    @Test func identityRulesMustNotBothMergeAndPropose() {
        let found = problems(
            """
            identity:
              auto_merge: [phone, email]
              propose: [email]
            channels: []
            """)
        #expect(found.map(\.keyPath) == ["identity.propose"])
        #expect(found.first?.line == 3)
        #expect(found.first?.message.contains("'email' is also in identity.auto_merge") == true)
        let region = problems("identity: { default_region: ZZ }\nchannels: []\n")
        #expect(region.map(\.keyPath) == ["identity.default_region"])
        #expect(region.first?.message.hasPrefix("no phone numbering plan for region 'ZZ'; known: AE, AR") == true)
        // Without an identity section the safe defaults apply.
        #expect(IdentitySettings().autoMerge == ["phone", "email_verified", "wechat_unionid", "shop_customer"])
        #expect(IdentitySettings().propose == ["email", "name_phone_suffix"])
    }

    @Test func environmentExpansion() {
        let environment = ["A": "1", "EMPTY": ""]
        #expect(EnvironmentExpansion.expand("x${A}y", environment: environment).text == "x1y")
        #expect(EnvironmentExpansion.expand("${B:-two}", environment: environment).text == "two")
        #expect(EnvironmentExpansion.expand("${EMPTY:-d}", environment: environment).text == "d")
        #expect(EnvironmentExpansion.expand("${B}", environment: environment).missing == ["B"])
        #expect(EnvironmentExpansion.expand("plain", environment: environment).usedEnvironment == false)
    }

    @Test func durations() {
        #expect(Duration(manifestText: "250ms") == .milliseconds(250))
        #expect(Duration(manifestText: "30s") == .seconds(30))
        #expect(Duration(manifestText: "5m") == .seconds(300))
        #expect(Duration(manifestText: "2h") == .seconds(7200))
        #expect(Duration(manifestText: "12") == .seconds(12))
        #expect(Duration(manifestText: "soon") == nil)
    }

    @Test func teamsRoutingAndScopesDecodeAndStrangersAreReportedAtTheirLines() throws {
        let manifest = try loader.load(
            yaml: """
                agents:
                  - { name: crm, token: "${DEMO_TOKEN}", scopes: [customers.read] }
                channels:
                  - { id: web, kind: webchat }
                teams:
                  - { id: cn, name: 中文组 }
                routing:
                  reopen_window: 2d
                  queues:
                    - { id: zh, team: cn, match: { channels: [web], languages: [zh], intents: [complaint] }, policy: round_robin, answer_within: 90s }
                """, file: "hub.yaml")
        #expect(manifest.agents.first?.scopes == [.customersRead])
        #expect(manifest.routing.teams == [Team(id: "cn", name: "中文组")])
        #expect(manifest.routing.reopenWindow == .seconds(2 * 86_400))
        let queue = try #require(manifest.routing.queues.first)
        #expect(queue.team == "cn" && queue.policy == .roundRobin && queue.answerWithin == .seconds(90))
        #expect(queue.match == QueueMatch(channels: ["web"], languages: ["zh"], intents: ["complaint"]))

        let found = problems(
            """
            agents:
              - { name: crm, token: "${DEMO_TOKEN}", scopes: [customers.rule] }
            channels:
              - { id: web, kind: webchat }
            teams:
              - { id: cn, name: 中文组 }
            routing:
              queues:
                - { id: zh, team: support, match: { channels: [wx], languages: [fr], intents: [refund] }, policy: fastest }
            """)
        let described = found.map { "\($0.line) \($0.keyPath)" }
        #expect(described.contains("2 agents[0].scopes[0]"))
        #expect(described.contains("9 routing.queues[0].team"))
        #expect(described.contains("9 routing.queues[0].match.channels[0]"))
        #expect(described.contains("9 routing.queues[0].match.languages[0]"))
        #expect(described.contains("9 routing.queues[0].match.intents[0]"))
        #expect(described.contains("9 routing.queues[0].policy"))
        #expect(found.first { $0.keyPath == "routing.queues[0].team" }?.message.contains("unknown team 'support'") == true)
    }

    @Test func assistSettingsDecodeAndMistakesAreReportedAtTheirLines() throws {
        let manifest = try ManifestLoader(registry: ChannelKindRegistry([WebChatKind.self]), environment: ["LLM_KEY": "sk-1"]).load(
            yaml: """
                channels:
                  - { id: web, kind: webchat }
                assist:
                  min_confidence: 0.45
                  knowledge_base: kb
                  llm: { base_url: "http://127.0.0.1:9/v1", model: m, api_key: "${LLM_KEY}", timeout: 2s }
                """, file: "hub.yaml")
        #expect(manifest.assist.minConfidence == 0.45 && manifest.assist.knowledgeBase == "kb")
        #expect(manifest.assist.llm == ModelEndpoint(baseURL: "http://127.0.0.1:9/v1", model: "m", apiKey: "sk-1", timeout: .seconds(2)))
        #expect(manifest.assist.modelFile(databasePath: "./data/hub.sqlite") == "./data/assist-model.bin")
        #expect(AssistSettings().modelFile(databasePath: "hub.sqlite") == "./assist-model.bin")

        let found = problems(
            """
            channels:
              - { id: web, kind: webchat }
            assist:
              min_confidence: 2
              colour: blue
              enabled: maybe
              embeddings: { base_url: "ftp://x", model: e, api_key: plain-text-key }
            """)
        let described = found.map { "\($0.line) \($0.keyPath)" }
        #expect(described.contains("4 assist.min_confidence"))
        #expect(described.contains("5 assist.colour"))
        #expect(described.contains("6 assist.enabled"))
        #expect(described.contains("7 assist.embeddings.api_key"))
        #expect(described.contains("7 assist.embeddings.base_url"))
    }

    @Test func calendarsAndChannelBotsDecodeAndMistakesAreNamed() throws {
        let manifest = try ManifestLoader(registry: ChannelKindRegistry([WebChatKind.self]), environment: [:]).load(
            yaml: """
                channels:
                  - id: web
                    kind: webchat
                    bot: { enabled: true, mode: after_hours, calendar: cn-office, greeting: 您好, max_failed_turns: 3, handoff_intents: [complaint] }
                calendars:
                  - id: cn-office
                    time_zone: Asia/Shanghai
                    weekly: { mon-fri: ["09:00-12:00", "13:30-18:00"], sat: ["10:00-16:00"] }
                    holidays: [2026-10-01]
                    working_days: [2026-09-27]
                """, file: "hub.yaml")
        let bot = try #require(manifest.channels.first?.bot)
        #expect(bot.mode == .afterHours && bot.calendar == "cn-office" && bot.maxFailedTurns == 3 && bot.handoffIntents == ["complaint"])
        #expect(manifest.calendars.first?.weekly[6]?.first?.start == 600 && manifest.calendars.first?.holidays == ["2026-10-01"])
        #expect(manifest.calendars.first?.weekly[3]?.count == 2)

        let found = problems(
            """
            channels:
              - id: web
                kind: webchat
                bot: { mode: after_hours, calendar: nowhere, languages: [fr], handoff_intents: [shouting] }
            calendars:
              - id: office
                time_zone: Mars/Olympus
                weekly: { mon-fry: ["09:00-12:00"], tue: ["18:00-09:00"], wed: ["09:00-12:00", "11:00-13:00"], wed-thu: ["14:00-15:00"] }
                holidays: [2026-13-01]
            assist: { enabled: false }
            """)
        let described = found.map { "\($0.line) \($0.keyPath)" }
        for expected in [
            "4 channels[0].bot.calendar", "4 channels[0].bot.languages", "4 channels[0].bot.handoff_intents", "4 channels[0].bot.enabled",
            "7 calendars[0].time_zone", "8 calendars[0].weekly.mon-fry", "8 calendars[0].weekly.tue", "9 calendars[0].holidays",
            "8 calendars[0].weekly.wed", "8 calendars[0].weekly.wed-thu",
        ] {
            #expect(described.contains(expected), "\(expected) in \(described)")
        }
        #expect(found.first { $0.keyPath == "channels[0].bot.calendar" }?.message.contains("unknown calendar 'nowhere'") == true)
        #expect(found.first { $0.keyPath == "channels[0].bot.enabled" }?.message.contains("enable assist") == true)
        #expect(found.first { $0.keyPath == "calendars[0].weekly.wed" }?.message.contains("overlap") == true)
        #expect(found.first { $0.keyPath == "calendars[0].weekly.wed-thu" }?.message.contains("already declared by wed") == true)
    }

    @Test func aCalendarsHolidaysFileIsReadBesideTheManifest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "holidays: [2026-10-02]\nworking_days: [2026-10-10]\n".write(
            to: folder.appendingPathComponent("cn-2026.yaml"), atomically: true, encoding: .utf8)
        let manifestPath = folder.appendingPathComponent("hub.yaml").path
        let calendars = """
            channels:
              - { id: web, kind: webchat }
            calendars:
              - id: cn
                time_zone: Asia/Shanghai
                weekly: { mon-fri: ["09:00-18:00"] }
                holidays: [2026-10-01]
                holidays_file: %@
            """
        let manifest = try loader.load(yaml: String(format: calendars, "cn-2026.yaml"), file: manifestPath)
        #expect(
            manifest.calendars.first?.holidays == ["2026-10-01", "2026-10-02"] && manifest.calendars.first?.workingDays == ["2026-10-10"])
        do {
            _ = try loader.load(yaml: String(format: calendars, "missing.ics"), file: manifestPath)
            Issue.record("a missing holidays file must be refused")
        } catch {
            #expect(error.problems.first?.keyPath == "calendars[0].holidays_file" && error.problems.first?.line == 8)
            #expect(error.problems.first?.message.contains("holidays file 'missing.ics' not found") == true)
        }
    }
}
