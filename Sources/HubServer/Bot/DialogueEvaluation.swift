package import Assist
package import Foundation
package import HubCore
import HubStorage

/// One dialogue of `tributary assist eval dialogues` (`../shared/ASSIST.md`).
package struct Dialogue: Decodable, Sendable {
    package var id: String
    package var lang: String?
    package var now: String
    package var turns: [Turn]
    package var orders: [Order]
    package var expected: Expected
    /// Conversation labels (`vip`), for dialogues about hand-off rules.
    package var labels: [String]?

    package struct Turn: Decodable, Sendable {
        package var role: String
        package var text: String
    }

    package struct Order: Decodable, Sendable {
        package var id: String
        package var status: String
        package var carrier: String?
        package var tracking: String?
        package var lastEvent: String?
        package var updated: String?
        package var items: [String]?
        package var placed: String?
        package var total: String?
        package var currency: String?

        enum CodingKeys: String, CodingKey {
            case id, status, carrier, tracking, updated, items, placed, total, currency
            case lastEvent = "last_event"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(String.self, forKey: .status)
            carrier = try container.decodeIfPresent(String.self, forKey: .carrier)
            tracking = try container.decodeIfPresent(String.self, forKey: .tracking)
            lastEvent = try container.decodeIfPresent(String.self, forKey: .lastEvent)
            updated = try container.decodeIfPresent(String.self, forKey: .updated)
            items = try container.decodeIfPresent([String].self, forKey: .items)
            placed = try container.decodeIfPresent(String.self, forKey: .placed)
            if let text = try? container.decodeIfPresent(String.self, forKey: .total) {
                total = text
            } else if let number = try? container.decodeIfPresent(Double.self, forKey: .total) {
                total = String(format: "%.2f", number)
            }
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
        }
    }

    package struct Expected: Decodable, Sendable {
        package var intent: String
        package var mustMention: [String]
        package var handoff: Bool
        package var mustNotMention: [String]
        package var mustNotMatch: [String]

        enum CodingKeys: String, CodingKey {
            case intent, handoff
            case mustMention = "must_mention"
            case mustNotMention = "must_not_mention"
            case mustNotMatch = "must_not_match"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            intent = try container.decode(String.self, forKey: .intent)
            handoff = try container.decode(Bool.self, forKey: .handoff)
            mustMention = try container.decodeIfPresent([String].self, forKey: .mustMention) ?? []
            mustNotMention = try container.decodeIfPresent([String].self, forKey: .mustNotMention) ?? []
            mustNotMatch = try container.decodeIfPresent([String].self, forKey: .mustNotMatch) ?? []
        }
    }
}

/// How the bot did on one dialogue.
package struct DialogueResult: Encodable, Sendable {
    package var id: String
    package var reply: String
    package var intent: String
    package var handoff: Bool
    package var passed: Bool
    /// Why it failed, rule by rule.
    package var failures: [String]
    /// Facts in the reply that neither the customer's data, the knowledge base nor their words contain.
    package var invented: [String]
    /// Facts of another customer in the reply.
    package var leaks: [String]
    package var milliseconds: Double

    enum CodingKeys: String, CodingKey {
        case id, reply, intent, handoff, passed, failures, invented, leaks, milliseconds
    }
}

/// The figures `assist eval dialogues` prints.
package struct DialogueReport: Encodable, Sendable {
    package var dialogues: Int
    package var passRate: Double
    package var selfServiceRate: Double
    package var handoffAccuracy: Double
    package var handoffPrecision: Double
    package var handoffRecall: Double
    package var inventedFacts: Int
    package var leaks: Int
    package var p50Ms: Double
    package var p99Ms: Double
    package var results: [DialogueResult]

    enum CodingKeys: String, CodingKey {
        case dialogues, leaks, results
        case passRate = "pass_rate"
        case selfServiceRate = "self_service_rate"
        case handoffAccuracy = "handoff_accuracy"
        case handoffPrecision = "handoff_precision"
        case handoffRecall = "handoff_recall"
        case inventedFacts = "invented_facts"
        case p50Ms = "p50_ms"
        case p99Ms = "p99_ms"
    }
}

/// Runs the real bot on dialogues: each against a hub of its own (an in-memory database with
/// the migrations), seeded with the dialogue's orders as the shop would deliver them (and a
/// second customer whose data must never appear), the customer's turns applied as messages
/// on a channel whose bot is on, assist's reading stored as the service stores it, and the
/// last turn answered through the same context, policy and store as the running hub. An
/// action the customer confirms is carried out by a simulated shop that updates the order.
package struct DialogueEvaluation: Sendable {
    let model: AssistModel
    let articles: [KnowledgeArticle]
    let synonyms: Synonyms
    let threshold: Double?
    let minConfidence: Double
    let style: ReplyStyle

    package init(
        model: AssistModel, articles: [KnowledgeArticle], synonyms: Synonyms, threshold: Double?, minConfidence: Double,
        style: String = "text"
    ) {
        self.model = model
        self.articles = articles
        self.synonyms = synonyms
        self.threshold = threshold
        self.minConfidence = minConfidence
        self.style = ReplyStyle(rawValue: style) ?? .text
    }

    static let shop: ChannelID = "shop"
    static let chat: ChannelID = "chat"
    static let customerPhone = "+8613800138000"
    static let otherPhone = "+8613922334455"
    static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    package func run(_ dialogues: [Dialogue]) async throws -> DialogueReport {
        var results: [DialogueResult] = []
        for dialogue in dialogues { results.append(try await run(dialogue)) }
        let count = Double(max(1, results.count))
        let pairs = zip(dialogues, results)
        let selfService = pairs.filter { !$0.0.expected.handoff }
        let truePositive = pairs.filter { $0.0.expected.handoff && $0.1.handoff }.count
        let predicted = results.filter(\.handoff).count
        let actual = dialogues.filter(\.expected.handoff).count
        let times = results.map(\.milliseconds).sorted()
        return DialogueReport(
            dialogues: results.count, passRate: Double(results.filter(\.passed).count) / count,
            selfServiceRate: selfService.isEmpty ? 0 : Double(selfService.filter { $0.1.passed }.count) / Double(selfService.count),
            handoffAccuracy: Double(pairs.filter { $0.0.expected.handoff == $0.1.handoff }.count) / count,
            handoffPrecision: predicted == 0 ? 1 : Double(truePositive) / Double(predicted),
            handoffRecall: actual == 0 ? 1 : Double(truePositive) / Double(actual),
            inventedFacts: results.map(\.invented.count).reduce(0, +), leaks: results.map(\.leaks.count).reduce(0, +),
            p50Ms: Percentile.of(times, 0.5), p99Ms: Percentile.of(times, 0.99), results: results)
    }

    func run(_ dialogue: Dialogue) async throws -> DialogueResult {
        guard let now = Self.date(dialogue.now) else {
            throw HubError.badRequest("invalid_dialogue", "dialogue \(dialogue.id): now '\(dialogue.now)' is not an ISO 8601 time")
        }
        let database = try HubDatabase.inMemory()
        let settings = BotSettings(timeZone: Self.timeZone.identifier)
        let workflow = WorkflowPolicy(awaitsAnalysis: true, bots: [Self.chat: BotStart(settings: settings, calendar: nil)])
        let apply = DirectApply(
            database: database, policy: IdentityPolicy(IdentitySettings(defaultRegion: "CN")), workflow: workflow)
        // The shop's orders, then a second customer's, whose data must never reach this one.
        for (index, order) in dialogue.orders.enumerated() {
            try await seed(order, index: index, phone: Self.customerPhone, now: now, apply: apply)
        }
        let decoy = Dialogue.Order.decoy
        try await seed(decoy, index: 99, phone: Self.otherPhone, now: now, apply: apply)

        let knowledge = BotKnowledge(articles: articles, synonyms: synonyms, threshold: threshold)
        let engine = BotEngine(
            knowledge: { knowledge }, channels: [Self.chat: BotChannel(settings: settings, style: style)], minConfidence: minConfidence,
            phraser: nil)
        let analyses = AnalysisStore(database: database)
        let bot = BotStore(database: database)
        let assist = AssistEngine(model: model, minConfidence: minConfidence, secondOpinion: nil)
        var conversation: ConversationID?
        var last: (turn: BotEngine.Turn, stored: BotTurnStored, milliseconds: Double)?
        let customerTurns = dialogue.turns.indices.filter { dialogue.turns[$0].role == "customer" }
        for (index, spoken) in dialogue.turns.enumerated() {
            let at = now.addingTimeInterval(Double(index - dialogue.turns.count))
            if spoken.role != "customer" {
                guard let conversation else { continue }
                try await apply.said(spoken.text, by: spoken.role == "agent" ? .agent : .bot, conversationID: conversation, now: at)
                continue
            }
            let message = InboundMessage(
                providerMessageID: "\(dialogue.id)-\(index)", threadKey: Self.customerPhone,
                identities: [IdentityHint(kind: .phone, value: Self.customerPhone, verified: true)], senderName: nil,
                parts: [.text(spoken.text)], sentAt: at)
            let outcome = try await apply.apply([.message(message)], channelID: Self.chat, now: at)
            conversation = outcome.conversationID ?? conversation
            if let labels = dialogue.labels, let conversation { try await apply.label(conversation, labels) }
            // Assist reads it, as its service does.
            let page = try await analyses.pending(limit: 16)
            var analysed: [AnalysisOutcome] = []
            for pending in page.messages {
                analysed.append(AnalysisOutcome(message: pending, analysis: await assist.analyze(pending.text), optOut: false))
            }
            try await analyses.record(analysed, through: page.next, now: at)
            guard let messageID = outcome.messageIDs.first else { continue }
            let isLast = index == customerTurns.last
            let started = ContinuousClock.now
            guard let context = try await bot.context(messageID: messageID) else { continue }
            let request = engine.request(for: context, channel: engine.channels[Self.chat]!, now: isLast ? now : at)
            var turn = await engine.decide(request)
            if let action = turn.decision.action {
                // The simulated shop does it and delivers the changed order.
                if action.kind == .cancel,
                    let position = dialogue.orders.indices.first(where: { Self.shopID(dialogue.orders[$0], $0) == action.order.id })
                {
                    var cancelled = dialogue.orders[position]
                    cancelled.status = "cancelled"
                    try await seed(cancelled, index: position, phone: Self.customerPhone, now: now, version: at, apply: apply)
                }
                turn = await engine.afterAction(turn, action: action, failure: nil)
            }
            let nextIsBot = index + 1 < dialogue.turns.count && dialogue.turns[index + 1].role != "customer"
            var record = BotEngine.record(turn, context: context)
            // An earlier turn the dialogue answers itself: keep the bot's state, say what the dialogue says.
            if nextIsBot { record.reply = [] }
            if turn.decision.handoff != nil && !isLast { record.handoff = nil }
            let stored = try await bot.record(record, cursor: nil, capabilities: { _ in nil }, now: isLast ? now : at)
            let elapsed = ContinuousClock.now - started
            if isLast {
                last = (turn, stored, Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
        }
        guard let last else {
            throw HubError.badRequest("invalid_dialogue", "dialogue \(dialogue.id) has no customer turn")
        }
        return score(dialogue, turn: last.turn, milliseconds: last.milliseconds, decoy: decoy)
    }

    func score(_ dialogue: Dialogue, turn: BotEngine.Turn, milliseconds: Double, decoy: Dialogue.Order) -> DialogueResult {
        let reply = turn.decision.text
        let lowered = reply.lowercased()
        let handoff = turn.decision.handoff != nil
        var failures: [String] = []
        if turn.decision.intent != dialogue.expected.intent {
            failures.append("intent \(turn.decision.intent), expected \(dialogue.expected.intent)")
        }
        for phrase in dialogue.expected.mustMention where !lowered.contains(phrase.lowercased()) {
            failures.append("does not mention '\(phrase)'")
        }
        for phrase in dialogue.expected.mustNotMention where lowered.contains(phrase.lowercased()) {
            failures.append("mentions '\(phrase)'")
        }
        for pattern in dialogue.expected.mustNotMatch {
            if let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: reply, range: NSRange(reply.startIndex..., in: reply)) != nil
            {
                failures.append("matches /\(pattern)/")
            }
        }
        if handoff != dialogue.expected.handoff {
            failures.append(handoff ? "handed off (\(turn.decision.handoff!.rawValue))" : "did not hand off")
        }
        // Invented: a fact no source of this customer has (all their orders, every article, their words).
        let orders = dialogue.orders.enumerated().map { Self.botOrder($1, index: $0, now: Self.date(dialogue.now) ?? Date()) }
        let sources =
            orders.map { GroundingGuard.sayable($0, timeZone: Self.timeZone) } + articles.map { $0.title + "\n" + $0.body }
            + dialogue.turns.map(\.text)
        let invented = GroundingGuard.check(reply, sources: sources).unsupported
        let decoyOrder = Self.botOrder(decoy, index: 99, now: Date())
        let secrets = [decoyOrder.name, decoyOrder.number, decoy.tracking ?? "", String(Self.otherPhone.suffix(8))] + decoyOrder.items
        let leaks = secrets.filter { !$0.isEmpty && reply.contains($0) }
        if !invented.isEmpty { failures.append("invented \(invented.joined(separator: ", "))") }
        if !leaks.isEmpty { failures.append("leaked \(leaks.joined(separator: ", "))") }
        return DialogueResult(
            id: dialogue.id, reply: reply, intent: turn.decision.intent, handoff: handoff, passed: failures.isEmpty, failures: failures,
            invented: invented, leaks: leaks, milliseconds: milliseconds)
    }

    // MARK: The dialogue's shop

    /// The shop's id of a dialogue order: its digits, or a made-up one when it has none.
    static func shopID(_ order: Dialogue.Order, _ index: Int) -> String {
        let digits = order.id.filter(\.isNumber)
        return digits.isEmpty ? "\(4_400_000 + index)" : digits
    }

    /// Delivers an order as the shop would; `version` makes it a newer version of one delivered before.
    func seed(_ order: Dialogue.Order, index: Int, phone: String, now: Date, version: Date? = nil, apply: DirectApply) async throws {
        let view = Self.botOrder(order, index: index, now: now)
        let updated = order.updated.flatMap(Self.date) ?? now.addingTimeInterval(-3600)
        let financial: String
        switch order.status {
        case "awaiting_payment": financial = "pending"
        case "refunding": financial = "refund_pending"
        case "refunded": financial = "refunded"
        default: financial = "paid"
        }
        let shipped = ["shipped", "delivered"].contains(order.status) || order.tracking != nil
        var fulfillments: [FulfillmentSnapshot] = []
        if shipped {
            fulfillments.append(
                FulfillmentSnapshot(
                    fulfillmentID: "f\(view.id)", orderID: view.id, status: "success",
                    shipmentStatus: order.status == "delivered" ? "delivered" : "in_transit", trackingCompany: order.carrier,
                    trackingNumber: order.tracking, trackingURL: nil, shopUpdatedAt: updated))
        }
        let snapshot = OrderSnapshot(
            orderID: view.id, name: view.name, createdAt: view.placed,
            shopUpdatedAt: version.map { max($0, now).addingTimeInterval(1) } ?? max(updated, view.placed),
            financialStatus: financial, fulfillmentStatus: shipped ? "fulfilled" : "unfulfilled",
            cancelledAt: order.status == "cancelled" ? now : nil, currency: view.currency, totalPrice: view.total,
            customerIdentities: [IdentityHint(kind: .phone, value: phone, verified: true)], customerName: nil,
            lineItems: view.items.map { OrderLineItem(title: $0, sku: nil, quantity: 1, price: view.total) }, fulfillments: fulfillments)
        _ = try await apply.apply([.order(snapshot)], channelID: Self.shop, now: now)
        if let tracking = order.tracking, let event = order.lastEvent {
            let stage = view.stage ?? Self.stage(of: event, status: order.status)
            let update = TrackingUpdate(
                carrier: order.carrier ?? "", trackingNumber: tracking, stage: stage,
                checkpoints: [TrackingCheckpoint(time: updated, stage: stage, text: event, area: nil)],
                finished: order.status == "delivered")
            _ = try await apply.apply([.tracking(update)], channelID: "parcels", now: now)
        }
    }

    static func botOrder(_ order: Dialogue.Order, index: Int, now: Date) -> BotOrder {
        let status = BotOrderStatus(rawValue: order.status) ?? .awaitingShipment
        let updated = order.updated.flatMap(date)
        return BotOrder(
            id: shopID(order, index), name: order.id, channelID: shop, status: status, items: order.items ?? [],
            total: order.total ?? "", currency: order.currency ?? "CNY",
            placed: order.placed.flatMap(date) ?? now.addingTimeInterval(-2 * 86_400 - Double(index) * 3600), carrier: order.carrier,
            tracking: order.tracking, lastEvent: order.lastEvent, lastEventAt: order.lastEvent == nil ? nil : updated,
            stage: order.lastEvent.map { stage(of: $0, status: order.status) } ?? nil)
    }

    /// The stage a carrier's words describe.
    static func stage(of event: String, status: String) -> ShipmentStage? {
        let lowered = event.lowercased()
        if status == "delivered" || lowered.contains("delivered") || event.contains("签收") { return .delivered }
        if lowered.contains("out for delivery") || event.contains("派送") || event.contains("派件") { return .outForDelivery }
        if lowered.contains("picked up") || event.contains("揽收") || event.contains("揽件") { return .pickedUp }
        if lowered.contains("exception") || event.contains("异常") || event.contains("滞留") { return .exception }
        return .inTransit
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension Dialogue.Order {
    /// Another customer's order in every evaluation hub: none of it may reach the customer.
    static var decoy: Dialogue.Order {
        try! JSONDecoder().decode(
            Dialogue.Order.self,
            from: Data(
                ##"{"id": "#77031", "status": "shipped", "carrier": "YTO Express", "tracking": "YT8812345678901", "last_event": "Arrived at Chengdu hub", "items": ["Silk scarf"], "total": "359.00"}"##
                    .utf8))
    }
}
