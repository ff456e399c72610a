import Foundation
import HubCore

/// The bot's policy: for one customer turn, an answer from the customer's own orders or the
/// cited knowledge-base article, a question back (which order? which address? are you
/// sure?), an action to run at the shop, or a hand-off to people. Pure: the same request
/// gives the same decision, and nothing here sends, stores or calls anything.
///
/// The answer-or-hand-off decision never depends on a language model; every reply passes
/// ``GroundingGuard`` before it is returned, and one that fails becomes a hand-off.
package struct BotPolicy: Sendable {
    package var knowledge: BotKnowledge

    package init(knowledge: BotKnowledge) {
        self.knowledge = knowledge
    }

    static let orderIntents: Set<String> = ["order_status", "logistics_tracking", "cancel_order", "change_address", "return_refund"]

    /// Decides what to do with `request`'s turn.
    package func decide(_ request: BotRequest) -> BotDecision {
        var turn = Turn(request: request, knowledge: knowledge)
        return turn.decide()
    }

    /// The reply after the shop ran (or refused) the action a confirmed turn asked for.
    /// - Parameter failure: why the shop refused, or `nil` when it did it.
    package func afterAction(_ request: BotRequest, action: BotActionRequest, failure: String?) -> BotDecision {
        var turn = Turn(request: request, knowledge: knowledge)
        return turn.afterAction(action, failure: failure)
    }
}

/// One turn being decided: the request, the language, and the reply being drafted with its
/// sources (what grounding accepts) and citations.
struct Turn {
    let request: BotRequest
    let knowledge: BotKnowledge
    let language: String
    let phrases: BotPhrases
    let timeZone: TimeZone
    var state: BotState
    /// The draft: lines that must stay, and lines a short form may drop.
    var lines: [(text: String, essential: Bool)] = []
    var sources: [String] = []
    var citations: [KnowledgeCitation] = []
    var focus: [BotOrder] = []
    /// This turn answers the bot's "which order?".
    var answeringPick = false

    init(request: BotRequest, knowledge: BotKnowledge) {
        self.request = request
        self.knowledge = knowledge
        let zone = TimeZone(identifier: request.settings.timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
        self.timeZone = zone
        let language =
            LanguageGuess.dominant(request.text) ?? request.state.language ?? request.settings.languages.first ?? "zh"
        self.language = language
        self.phrases = BotPhrases(language: language, timeZone: zone)
        self.state = request.state
        sources = [request.text] + request.earlierCustomerTexts + [request.settings.greeting].compactMap { $0 }
    }

    var analysis: MessageAnalysis? { request.analysis }
    var intent: String { analysis?.intent ?? AssistLabels.otherIntent }
    /// The model's best label even when unsure (for reports and evaluation).
    var bestIntent: String {
        guard let analysis else { return AssistLabels.otherIntent }
        if analysis.intent != AssistLabels.otherIntent { return analysis.intent }
        return analysis.top.first?.label ?? AssistLabels.otherIntent
    }
    var confident: Bool {
        guard let analysis else { return false }
        return analysis.intent != AssistLabels.otherIntent && analysis.confidence >= request.minConfidence
    }

    func order(_ id: String) -> BotOrder? { request.orders.first { $0.id == id } }

    // MARK: Deciding

    mutating func decide() -> BotDecision {
        state.language = language
        if !request.settings.languages.contains(language) { return handoff(.language, intent: bestIntent) }
        if CustomerWords.asksForPerson(request.text) { return handoff(.requested, intent: "human_agent") }
        if isAngry { return handoff(.angry, intent: bestIntent) }
        if !Set(request.labels.map { $0.lowercased() }).isDisjoint(with: request.settings.handoffLabels.map { $0.lowercased() }) {
            return handoff(.label, intent: bestIntent)
        }
        // The answer to a question the bot asked comes before what the model reads into a short reply.
        if let decision = confirmation() { return decision }
        if let decision = addressGiven() { return decision }
        if let decision = pickAnswered() { return decision }
        if confident && intent == "human_agent" { return handoff(.requested, intent: "human_agent") }
        if confident, request.settings.handoffIntents.contains(intent) { return handoff(.intent, intent: intent) }
        if confident, intent == "greeting_chitchat", CustomerWords.isSmallTalk(request.text) { return courtesy() }

        let resolution = OrderReference.resolve(request.text, orders: request.orders, now: request.now, timeZone: timeZone)
        let understood = confident && intent != "greeting_chitchat"
        if case .unknown(let number) = resolution, !understood || BotPolicy.orderIntents.contains(intent) {
            add(phrases.notFound(number))
            return finish(intent: understood ? intent : "order_status")
        }
        if understood, BotPolicy.orderIntents.contains(intent) { return orderTurn(intent, resolution) }
        if !understood {
            // Unsure of the intent, sure of the subject: an order named, or the customer's order spoken of.
            let named: Bool
            if case .orders = resolution { named = true } else { named = false }
            if named || (!request.orders.isEmpty && CustomerWords.mentionsOrder(request.text)) {
                let guess =
                    [bestIntent, state.lastIntent].compactMap { $0 }.first { BotPolicy.orderIntents.contains($0) } ?? "order_status"
                return orderTurn(guess, resolution)
            }
        }
        if let answer = knowledge.answer(request.text, lang: language) {
            cite(answer)
            return finish(intent: topicIntent)
        }
        // A question the knowledge base cannot answer goes to people; words the bot cannot read are a failed turn.
        if understood || CustomerWords.isQuestion(request.text) { return handoff(.unanswerable, intent: topicIntent) }
        return failedTurn(intent: AssistLabels.otherIntent)
    }

    /// The best topical label: small talk is no topic for a question.
    var topicIntent: String {
        guard let analysis else { return AssistLabels.otherIntent }
        let ranked = ([analysis.intent] + analysis.top.map(\.label)).filter {
            $0 != AssistLabels.otherIntent && $0 != "greeting_chitchat"
        }
        return ranked.first ?? AssistLabels.otherIntent
    }

    /// Angry enough to hand off: the tone model says so with confidence, or the words shout.
    var isAngry: Bool {
        guard let analysis, analysis.sentiment == "angry" else { return false }
        return analysis.sentimentConfidence >= 0.6 || CustomerWords.shouts(request.text)
    }

    /// A yes or no to the action the bot asked about.
    mutating func confirmation() -> BotDecision? {
        guard let pending = state.pending ?? inferredPending() else { return nil }
        guard let answer = CustomerWords.answer(request.text) else {
            state.pending = nil
            return nil
        }
        state.pending = nil
        let order = order(pending.orderID)
        let actionIntent = pending.kind == .cancel ? "cancel_order" : "change_address"
        switch answer {
        case .no:
            if let order { focusOn([order]) }
            add(phrases.keptAsIs(order))
            return finish(intent: actionIntent)
        case .yes:
            guard let order else {
                add(phrases.notFound(pending.orderID))
                return finish(intent: actionIntent)
            }
            focusOn([order])
            guard order.status.isUnshipped else {
                // It shipped while the customer was deciding.
                explainCannot(pending.kind, order)
                return finish(intent: actionIntent)
            }
            var decision = finish(intent: actionIntent)
            decision.action = BotActionRequest(kind: pending.kind, order: order, address: pending.address)
            decision.reply = []
            return decision
        }
    }

    /// A confirmation question found in the last bot turn as sent (after a restart of an
    /// older hub, or a dialogue replayed from its text).
    func inferredPending() -> PendingAction? {
        guard let last = request.lastBotText, last.contains("回复“是”") || last.lowercased().contains("reply yes") else { return nil }
        let mentioned = Self.mentioned(in: last, orders: request.orders)
        guard mentioned.count == 1 else { return nil }
        let lowered = last.lowercased()
        if lowered.contains("cancel") || last.contains("取消") { return PendingAction(kind: .cancel, orderID: mentioned[0].id) }
        return nil
    }

    /// A request for the new address found in the last bot turn as sent.
    func inferredAddressRequest() -> String? {
        guard let last = request.lastBotText?.lowercased(),
            last.contains("新的收货地址") || last.contains("新地址") || last.contains("new delivery address") || last.contains("new address")
        else { return nil }
        let mentioned = Self.mentioned(in: request.lastBotText ?? "", orders: request.orders)
        return mentioned.count == 1 ? mentioned[0].id : nil
    }

    /// The new address after the bot asked for it.
    mutating func addressGiven() -> BotDecision? {
        guard let orderID = state.awaitingAddress ?? inferredAddressRequest() else { return nil }
        state.awaitingAddress = nil
        guard let order = order(orderID) else { return nil }
        let address = CustomerWords.newAddress(in: request.text) ?? request.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard CustomerWords.looksLikeAddress(address), !(confident && intent != "change_address" && analysis!.confidence >= 0.6) else {
            return nil
        }
        focusOn([order])
        guard order.status.isUnshipped else {
            explainCannot(.changeAddress, order)
            return finish(intent: "change_address")
        }
        state.pending = PendingAction(kind: .changeAddress, orderID: order.id, address: address)
        add(phrases.confirmAddress(order, address))
        return finish(intent: "change_address")
    }

    /// The customer's answer to "which order?".
    mutating func pickAnswered() -> BotDecision? {
        var pick = state.pick
        let lastMentioned = request.lastBotText.map { Self.mentioned(in: $0, orders: request.orders) } ?? []
        if pick == nil, lastMentioned.count >= 2, let last = request.lastBotText,
            last.contains("哪") || last.lowercased().contains("which")
        {
            pick = PendingPick(intent: state.lastIntent ?? "order_status", orderIDs: lastMentioned.map(\.id))
        }
        guard let pick else { return nil }
        state.pick = nil
        answeringPick = true
        // The list as the customer saw it: the order of the last message when it shows them.
        var listed = pick.orderIDs.compactMap(order)
        if lastMentioned.count >= 2, Set(lastMentioned.map(\.id)) == Set(listed.map(\.id)) { listed = lastMentioned }
        let resolution = OrderReference.resolve(
            request.text, orders: request.orders, listed: listed, now: request.now, timeZone: timeZone)
        switch resolution {
        case .orders(let chosen) where chosen.count == 1:
            return answer(pick.intent, chosen[0])
        case .orders(let chosen) where chosen.count > 1 && chosen.count < listed.count:
            return askWhich(chosen, intent: pick.intent)
        case .unknown(let number):
            add(phrases.notFound(number))
            return finish(intent: pick.intent)
        default:
            // A new question, or an answer the bot cannot place.
            if confident && intent != pick.intent && intent != "greeting_chitchat" { return nil }
            state.failedTurns += 1
            if state.failedTurns >= request.settings.maxFailedTurns { return handoff(.failedTurns, intent: pick.intent) }
            return askWhich(listed, intent: pick.intent, countsAsFailure: true)
        }
    }

    mutating func courtesy() -> BotDecision {
        switch CustomerWords.courtesy(request.text) {
        case .thanks: add(phrases.thanks())
        case .bye: add(phrases.bye())
        case .hello: add(phrases.hello())
        }
        return finish(intent: "greeting_chitchat")
    }

    // MARK: Orders

    mutating func orderTurn(_ intent: String, _ resolution: OrderReference.Resolution) -> BotDecision {
        var named: [BotOrder] = []
        if case .orders(let found) = resolution { named = found }
        // With orders on the account, a question is about them unless it is asked in general ("do you…", "你们…").
        let personal =
            CustomerWords.isPersonal(request.text) || !named.isEmpty || (!request.orders.isEmpty && !CustomerWords.isGeneral(request.text))
        // "Which couriers do you use?" is a policy question, not a question about an order.
        if !personal { return knowledgeAnswer(intent: intent) }
        if intent == "return_refund" {
            let refunds = (named.isEmpty ? request.orders : named).filter { $0.status == .refunding || $0.status == .refunded }
            let asksRefund = CustomerWords.mentionsRefund(request.text)
            if named.isEmpty && asksRefund && !refunds.isEmpty {
                return refunds.count == 1 ? answer(intent, refunds[0]) : askWhich(Array(refunds.prefix(5)), intent: intent)
            }
            if named.count == 1 { return answer(intent, named[0]) }
            return knowledgeAnswer(intent: intent)
        }
        guard !request.orders.isEmpty else {
            add(phrases.noOrders())
            return finish(intent: intent)
        }
        let candidates = named.isEmpty ? Self.relevant(intent, request.orders, now: request.now) : named
        if candidates.count > 1 { return askWhich(Array(candidates.prefix(5)), intent: intent) }
        return answer(intent, candidates[0])
    }

    /// The knowledge base's answer to the turn, or a hand-off when it has none.
    mutating func knowledgeAnswer(intent: String) -> BotDecision {
        guard let answer = knowledge.answer(request.text, lang: language) else { return handoff(.unanswerable, intent: intent) }
        cite(answer)
        return finish(intent: intent)
    }

    /// The orders a question with no order named is most likely about.
    static func relevant(_ intent: String, _ orders: [BotOrder], now: Date) -> [BotOrder] {
        let recent = Array(orders.prefix(10))
        let tiers: [(BotOrder) -> Bool]
        switch intent {
        case "logistics_tracking":
            tiers = [
                { $0.status == .shipped },
                { $0.status == .delivered && now.timeIntervalSince($0.lastEventAt ?? $0.placed) < 7 * 86_400 },
                { $0.status.isActive }, { $0.status != .cancelled },
            ]
        case "cancel_order", "change_address":
            tiers = [{ $0.status.isUnshipped }, { $0.status == .shipped }, { $0.status != .cancelled }]
        default:
            tiers = [{ $0.status.isActive }, { $0.status != .cancelled }]
        }
        for tier in tiers {
            let matching = recent.filter(tier)
            if !matching.isEmpty { return matching }
        }
        return [recent[0]]
    }

    mutating func askWhich(_ orders: [BotOrder], intent: String, countsAsFailure: Bool = false) -> BotDecision {
        focusOn(orders)
        state.pick = PendingPick(intent: intent, orderIDs: orders.map(\.id))
        add(phrases.whichOrder(orders))
        return finish(intent: intent, keepFailures: countsAsFailure)
    }

    /// The answer for one order.
    mutating func answer(_ asked: String, _ order: BotOrder) -> BotDecision {
        focusOn([order])
        // ASSIST.md: where an order stands before a courier has it is order_status, where the parcel is
        // after that logistics_tracking; "where is my order?" is the one or the other by the order's state.
        var intent = asked
        if asked == "order_status" || asked == "logistics_tracking" {
            // The question, not the pick ("the second one"), says what was asked.
            let question = answeringPick ? (request.earlierCustomerTexts.last ?? request.text) : request.text
            if CustomerWords.namesParcel(question) {
                intent = "logistics_tracking"
            } else if CustomerWords.asksAboutDispatch(question) {
                intent = "order_status"
            } else {
                intent = order.status == .shipped || order.status == .delivered ? "logistics_tracking" : "order_status"
            }
        }
        switch intent {
        case "cancel_order":
            if order.status.isUnshipped {
                state.pending = PendingAction(kind: .cancel, orderID: order.id)
                add(phrases.confirmCancel(order))
            } else {
                explainCannot(.cancel, order)
            }
        case "change_address":
            if order.status.isUnshipped {
                if let address = CustomerWords.newAddress(in: request.text) {
                    state.pending = PendingAction(kind: .changeAddress, orderID: order.id, address: address)
                    add(phrases.confirmAddress(order, address))
                } else {
                    state.awaitingAddress = order.id
                    add(phrases.askAddress(order))
                }
            } else {
                explainCannot(.changeAddress, order)
            }
        case "return_refund":
            if order.status == .refunding || order.status == .refunded {
                add(phrases.orderStatus(order))
            } else if order.status.isUnshipped {
                add(phrases.notShippedReturn(order))
                state.pending = PendingAction(kind: .cancel, orderID: order.id)
            } else {
                add(phrases.orderStatus(order))
                if let answer = knowledge.lookup(language == "zh" ? "退货流程 怎么退货" : "how to return an item", lang: language) {
                    cite(answer)
                }
            }
        default:
            add(phrases.orderStatus(order))
            if order.status == .awaitingShipment { dispatchRule(order) }
        }
        return finish(intent: intent)
    }

    /// Why an action cannot be taken on a shipped order, and the route the knowledge base gives.
    mutating func explainCannot(_ kind: OrderActionKind, _ order: BotOrder) {
        if kind == .cancel {
            add(phrases.cannotCancel(order))
            guard order.status == .shipped || order.status == .delivered else { return }
            if let answer = knowledge.lookup(
                language == "zh" ? "取消订单 已发货 拒收" : "cancel an order that has shipped refuse delivery", lang: language),
                let sentence = knowledge.sentences(of: answer).first(where: { $0.contains("拒收") || $0.lowercased().contains("refuse") })
            {
                cite(answer, sentence: sentence)
            } else {
                add(phrases.returnRoute())
            }
        } else {
            add(phrases.cannotReaddress(order))
            if let answer = knowledge.lookup(language == "zh" ? "修改地址 已发货" : "change address after shipping", lang: language) {
                let sentence = knowledge.sentences(of: answer).first { $0.contains("发货") || $0.lowercased().contains("shipped") }
                cite(answer, sentence: sentence ?? answer.passage)
            }
        }
    }

    /// When an awaiting-shipment order leaves, by the shop's cut-off rule in the knowledge base.
    mutating func dispatchRule(_ order: BotOrder) {
        guard
            let answer = knowledge.lookup(
                language == "zh" ? "发货时间 什么时候发货 付款后多久发货" : "when will my order ship dispatch time after payment", lang: language)
        else { return }
        let sentences = knowledge.sentences(of: answer)
        guard let rule = sentences.first(where: { Self.cutOff(in: $0) != nil }), let cutOff = Self.cutOff(in: rule) else { return }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let placed = calendar.dateComponents([.hour, .minute], from: order.placed)
        let placedMinute = (placed.hour ?? 0) * 60 + (placed.minute ?? 0)
        let hoursSince = request.now.timeIntervalSince(order.placed) / 3600
        var text = rule
        if let window = sentences.lazy.compactMap(Self.dispatchHours).first, hoursSince > Double(window) {
            text += " " + phrases.lateDispatch(String(window))
        } else if calendar.isDate(order.placed, inSameDayAs: request.now) || hoursSince < 24 {
            text += " " + (placedMinute < cutOff ? phrases.shipsToday() : phrases.shipsNextDay())
        }
        cite(answer, sentence: text)
    }

    /// The cut-off a sentence states, in minutes after midnight: "16:00 前" or "before 4 pm".
    static func cutOff(in sentence: String) -> Int? {
        let lowered = sentence.lowercased()
        if let match = lowered.range(of: #"(\d{1,2}):(\d{2})\s*(前|以前|之前)"#, options: .regularExpression) {
            let clock = lowered[match].prefix { $0 != "前" && $0 != "以" && $0 != "之" && $0 != " " }
            let parts = clock.split(separator: ":")
            if parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) { return hour * 60 + minute }
        }
        if let match = lowered.range(of: #"before (\d{1,2})(:\d{2})?\s*(am|pm)"#, options: .regularExpression) {
            let words = lowered[match].dropFirst("before ".count)
            let digits = words.prefix { $0.isNumber }
            guard var hour = Int(digits) else { return nil }
            if words.hasSuffix("pm") && hour < 12 { hour += 12 }
            return hour * 60
        }
        return nil
    }

    /// The dispatch window a sentence states: "48 小时内发货", "ship within 48 hours".
    static func dispatchHours(_ sentence: String) -> Int? {
        let lowered = sentence.lowercased()
        guard lowered.contains("发货") || lowered.contains("ship") else { return nil }
        guard let match = lowered.range(of: #"(\d{1,3})\s*(小时|hours)"#, options: .regularExpression) else { return nil }
        return Int(lowered[match].prefix { $0.isNumber })
    }

    // MARK: Actions

    mutating func afterAction(_ action: BotActionRequest, failure: String?) -> BotDecision {
        state.language = language
        state.pending = nil
        focusOn([action.order])
        let intent = action.kind == .cancel ? "cancel_order" : "change_address"
        if failure != nil {
            return handoff(.actionFailed, intent: intent, order: action.order, action: action.kind)
        }
        switch action.kind {
        case .cancel: add(phrases.cancelled(action.order))
        case .changeAddress: add(phrases.addressChanged(action.order, action.address ?? ""))
        }
        if let address = action.address { sources.append(address) }
        return finish(intent: intent)
    }

    // MARK: Drafting

    mutating func add(_ text: String, essential: Bool = true) {
        lines.append((text, essential))
    }

    mutating func focusOn(_ orders: [BotOrder]) {
        for order in orders where !focus.contains(order) {
            focus.append(order)
            sources.append(phrases.factSheet(order))
        }
    }

    /// Says what the article says: its best passage (or the given sentence) and the source.
    mutating func cite(_ answer: BotKnowledge.Answer, sentence: String? = nil) {
        citations.append(answer.citation)
        sources.append(answer.article)
        add(sentence ?? answer.passage)
        add(phrases.source(answer.citation), essential: false)
    }

    mutating func failedTurn(intent: String) -> BotDecision {
        state.failedTurns += 1
        if state.failedTurns >= request.settings.maxFailedTurns { return handoff(.failedTurns, intent: intent) }
        add(phrases.notUnderstood())
        return finish(intent: intent, keepFailures: true)
    }

    mutating func handoff(
        _ reason: HandoffReason, intent: String, order: BotOrder? = nil, action: OrderActionKind? = nil
    ) -> BotDecision {
        lines = []
        citations = []
        add(phrases.handoff(reason, order: order, action: action))
        state.pick = nil
        state.pending = nil
        state.awaitingAddress = nil
        state.failedTurns = 0
        var decision = draft(intent: intent)
        decision.handoff = reason
        decision.summary = summary(reason, intent: intent)
        return decision
    }

    /// An answer: grounded, or a hand-off when grounding fails.
    mutating func finish(intent: String, keepFailures: Bool = false) -> BotDecision {
        if !keepFailures { state.failedTurns = 0 }
        state.lastIntent = intent
        let decision = draft(intent: intent)
        guard decision.grounding.passed else {
            let blocked = decision.text
            var handoff = handoff(.grounding, intent: intent)
            handoff.blockedReply = blocked
            handoff.grounding.unsupported = decision.grounding.unsupported
            return handoff
        }
        return decision
    }

    /// The reply in the channel's style, checked by the grounding guard.
    mutating func draft(intent: String) -> BotDecision {
        var chosen = lines
        var prefix: String?
        if !state.greeted, let greeting = request.settings.greeting, !greeting.isEmpty {
            prefix = greeting
            state.greeted = true
        }
        if request.style == .short {
            // SMS: at most three segments; optional lines (sources, explanations) go first.
            while chosen.contains(where: { !$0.essential }),
                SMSSegments.count(([prefix].compactMap { $0 } + chosen.map(\.text)).joined(separator: "\n")) > 3
            {
                chosen.remove(at: chosen.lastIndex { !$0.essential }!)
            }
        }
        var body = ([prefix].compactMap { $0 } + chosen.map(\.text)).joined(separator: "\n")
        if request.style == .mail { body = phrases.mail(body) }
        var parts: [MessagePart] = [.text(body)]
        if request.style == .rich {
            for order in focus.prefix(3) where lines.count > 0 {
                var facts = [phrases.items(order), phrases.amount(order), phrases.status(order.status)]
                if let carrier = order.carrier { facts.append(carrier) }
                if let tracking = order.tracking { facts.append(tracking) }
                parts.append(.card(title: order.name, text: facts.joined(separator: " · "), imageURL: nil, link: order.trackingURL))
            }
        }
        let grounding = GroundingGuard.check(parts.plainText, sources: sources)
        var decision = BotDecision(
            reply: parts, intent: intent, state: state, citations: citations, orders: focus.map(\.name), grounding: grounding)
        decision.sources = sources
        return decision
    }

    /// The hand-off summary agents see on the timeline.
    func summary(_ reason: HandoffReason, intent: String) -> String {
        let why: String
        switch reason {
        case .requested: why = "the customer asked for a person"
        case .angry: why = "the customer is angry"
        case .failedTurns: why = "\(request.settings.maxFailedTurns) turns the bot could not understand or answer"
        case .unanswerable: why = "the knowledge base has no answer"
        case .actionFailed: why = "the shop refused the bot's action"
        case .label: why = "the customer has a label that goes to people"
        case .intent: why = "the manifest sends \(intent) to people"
        case .language: why = "the customer writes in \(language), which the bot does not answer in"
        case .grounding: why = "the bot's reply stated a fact the data does not support"
        }
        var lines = ["Bot hand-off: \(why)."]
        var reading = "Intent: \(intent)"
        if let analysis {
            reading += String(format: " (%.2f), tone: %@, language: %@", analysis.confidence, analysis.sentiment, language)
        }
        lines.append(reading)
        let orders = focus.isEmpty ? request.orders.prefix(3).map { $0 } : focus
        if !orders.isEmpty {
            lines.append("Orders: " + orders.map { "\($0.name) (\($0.status.rawValue))" }.joined(separator: ", "))
        }
        let asked = (request.earlierCustomerTexts.suffix(2) + [request.text]).map { "\"\($0.prefix(200))\"" }
        lines.append("Customer asked: " + asked.joined(separator: " / "))
        if let last = request.lastBotText { lines.append("Bot answered: \"\(last.prefix(300))\"") }
        return lines.joined(separator: "\n")
    }

    /// The orders a text names, in the order it names them.
    static func mentioned(in text: String, orders: [BotOrder]) -> [BotOrder] {
        var found: [(position: String.Index, order: BotOrder)] = []
        for order in orders {
            if let range = text.range(of: order.name) ?? (order.number.count >= 4 ? text.range(of: order.number) : nil) {
                found.append((range.lowerBound, order))
            }
        }
        return found.sorted { $0.position < $1.position }.map(\.order)
    }
}
