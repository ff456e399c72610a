package import Foundation
import HubCore

/// Everything the bot says, in Chinese and English: one place, so that wording is reviewed
/// together and the two languages say the same thing. Facts go in as arguments, never as
/// literals here (the grounding guard would stop a literal number anyway).
struct BotPhrases {
    let zh: Bool
    let timeZone: TimeZone

    init(language: String, timeZone: TimeZone) {
        self.zh = language != "en"
        self.timeZone = timeZone
    }

    func pick(_ chinese: String, _ english: String) -> String { zh ? chinese : english }

    // MARK: Facts as said

    /// A date and time as the bot says it (and as grounding sees it in the order's data).
    func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        let clock = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        if zh { return "\(parts.month ?? 1)月\(parts.day ?? 1)日 \(clock)" }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[((parts.month ?? 1) - 1) % 12]) \(parts.day ?? 1), \(clock)"
    }

    /// The order's total as said; empty when the shop gave none.
    func amount(_ order: BotOrder) -> String {
        guard !order.total.isEmpty else { return "" }
        return order.currency == "CNY" ? "¥\(order.total)" : "\(order.total) \(order.currency)"
    }

    /// Items and total for a confirmation: "台灯，¥89.00".
    func itemsAndAmount(_ order: BotOrder) -> String {
        [items(order), amount(order)].filter { !$0.isEmpty }.joined(separator: zh ? "，" : ", ")
    }

    func items(_ order: BotOrder) -> String {
        let shown = order.items.prefix(3).joined(separator: zh ? "、" : ", ")
        return order.items.count > 3 ? shown + pick(" 等", " and more") : shown
    }

    /// `#20001（蓝牙音箱）` / `#20001 (Bluetooth speaker)`.
    func label(_ order: BotOrder) -> String {
        let items = items(order)
        if items.isEmpty { return order.name }
        return zh ? "\(order.name)（\(items)）" : "\(order.name) (\(items))"
    }

    func status(_ status: BotOrderStatus) -> String {
        switch status {
        case .awaitingPayment: pick("待付款", "awaiting payment")
        case .awaitingShipment: pick("待发货", "awaiting shipment")
        case .shipped: pick("已发货", "shipped")
        case .delivered: pick("已签收", "delivered")
        case .cancelled: pick("已取消", "cancelled")
        case .refunding: pick("退款中", "refund in progress")
        case .refunded: pick("已退款", "refunded")
        }
    }

    func stage(_ stage: ShipmentStage) -> String {
        switch stage {
        case .pickedUp: pick("已揽收", "picked up")
        case .inTransit: pick("运输中", "in transit")
        case .outForDelivery: pick("派送中", "out for delivery")
        case .delivered: pick("已签收", "delivered")
        case .exception: pick("异常", "exception")
        case .returned: pick("已退回", "returned")
        }
    }

    /// Everything the bot may say about an order, rendered as it says it: the grounding source.
    func factSheet(_ order: BotOrder) -> String {
        var facts = [order.name, order.id, items(order), amount(order), order.total, order.currency, time(order.placed)]
        facts += order.items
        facts += [order.carrier, order.tracking, order.trackingURL, order.lastEvent].compactMap { $0 }
        if let at = order.lastEventAt { facts.append(time(at)) }
        return facts.joined(separator: "\n")
    }

    // MARK: Orders

    func orderStatus(_ order: BotOrder) -> String {
        switch order.status {
        case .awaitingPayment:
            return pick(
                "订单 \(label(order))还没有付款（待付款），付款后才会安排发货。",
                "Order \(label(order)) is awaiting payment: it ships once it is paid.")
        case .awaitingShipment:
            return pick(
                "订单 \(label(order))已付款，目前待发货（\(time(order.placed)) 下单）。",
                "Order \(label(order)) is paid and awaiting shipment (ordered \(time(order.placed))).")
        case .shipped, .delivered:
            return parcel(order)
        case .cancelled:
            return pick("订单 \(label(order))已取消。", "Order \(label(order)) was cancelled.")
        case .refunding:
            return pick(
                "订单 \(label(order))退款中\(amount(order).isEmpty ? "" : "，金额 \(amount(order))")，会原路退回。",
                "Order \(label(order)): your refund\(amount(order).isEmpty ? "" : " of \(amount(order))") is in progress (refunding) and goes back to the original payment method."
            )
        case .refunded:
            return pick(
                "订单 \(label(order))已退款\(amount(order).isEmpty ? "" : "，金额 \(amount(order))")，已原路退回。",
                "Order \(label(order)) has been refunded\(amount(order).isEmpty ? "" : ": \(amount(order))") went back to the original payment method."
            )
        }
    }

    /// Carrier, tracking number, the latest scan with its time, and the stage. Never an hour of arrival.
    func parcel(_ order: BotOrder) -> String {
        var text: String
        if order.status == .delivered {
            text = pick("订单 \(label(order))已签收。", "Order \(label(order)) has been delivered.")
        } else {
            text = pick("订单 \(label(order))已发货。", "Order \(label(order)) has shipped.")
        }
        switch (order.carrier, order.tracking) {
        case (let carrier?, let tracking?):
            text += pick(" 快递：\(carrier)，运单号 \(tracking)。", " Carrier: \(carrier), tracking number \(tracking).")
        case (let carrier?, nil):
            text += pick(" 快递：\(carrier)，运单号还没有同步过来。", " Carrier: \(carrier); the tracking number has not come through yet.")
        case (nil, let tracking?):
            text += pick(" 运单号 \(tracking)。", " Tracking number \(tracking).")
        case (nil, nil):
            text += pick(" 快递公司还没有回传运单号。", " The courier has not sent us a tracking number yet.")
        }
        if let event = order.lastEvent {
            let at = order.lastEventAt.map { time($0) }
            if let at {
                text += pick(" 最新物流（\(at)）：\(event)", " Latest scan (\(at)): \(event)")
            } else {
                text += pick(" 最新物流：\(event)", " Latest scan: \(event)")
            }
            if let stage = order.stage {
                text += pick("，当前状态：\(self.stage(stage))。", ". Stage: \(self.stage(stage)).")
            } else {
                text += pick("。", ".")
            }
        } else if order.status == .shipped {
            text += pick(" 暂时还没有物流扫描记录。", " There is no scan from the courier yet.")
        }
        return text
    }

    func shipsToday() -> String { pick("今天截单前付款，通常今天就会发出。", "It was paid before today's cut-off, so it usually leaves today.") }
    func shipsNextDay() -> String { pick("付款时间在截单之后，通常次日发出。", "It was paid after the cut-off, so it usually leaves the next day.") }
    func lateDispatch(_ hours: String) -> String {
        pick(
            "已经超过 \(hours) 小时还没发货，回复“人工”我们帮您催仓库。",
            "It is past the usual \(hours) hours; reply \"agent\" and a colleague will chase the warehouse.")
    }

    func whichOrder(_ orders: [BotOrder]) -> String {
        let lines = orders.enumerated().map { index, order in "\(index + 1). \(label(order)) \(pick("—", "—")) \(status(order.status))" }
        return pick("您有几笔订单，请问是哪一笔？\n", "You have several orders. Which one do you mean?\n") + lines.joined(separator: "\n")
            + pick("\n回复序号、商品名或订单号即可。", "\nReply with its number in this list, the item, or the order number.")
    }

    func notFound(_ number: String) -> String {
        pick(
            "在这个账号下找不到订单 \(number)（没有查到这个号码），请核对一下订单号再发给我。",
            "I can't find that order (\(number)) on this account. Please check the number and send it again.")
    }

    func noOrders() -> String {
        pick(
            "这个账号下找不到订单。如果是用其他手机号或账号下的单，请把订单号发给我。",
            "I can't find any orders on this account. If you ordered with another phone number or account, please send me the order number."
        )
    }

    // MARK: Actions

    func confirmCancel(_ order: BotOrder) -> String {
        pick(
            "确认取消订单 \(order.name)（\(itemsAndAmount(order))）吗？回复“是”确认取消，回复“否”保留订单。",
            "Cancel order \(order.name) (\(itemsAndAmount(order)))? Reply yes to confirm, or no to keep it.")
    }

    func askAddress(_ order: BotOrder) -> String {
        pick(
            "订单 \(label(order))还没发货，可以改地址。请把新的收货地址发给我（收件人、电话、详细地址）。",
            "Order \(label(order)) has not shipped, so the address can still change. Please send the new delivery address (recipient, phone, full address)."
        )
    }

    func confirmAddress(_ order: BotOrder, _ address: String) -> String {
        pick(
            "确认把订单 \(order.name) 的收货地址改为：\(address)？回复“是”确认，回复“否”不改。",
            "Change the delivery address of order \(order.name) to: \(address)? Reply yes to confirm, or no to leave it.")
    }

    func cancelled(_ order: BotOrder) -> String {
        let amount = amount(order)
        if amount.isEmpty {
            return pick(
                "好的，订单 \(order.name) 已取消，款项会原路退回。",
                "Done: order \(order.name) is cancelled, and the payment goes back to your original payment method.")
        }
        return pick(
            "好的，订单 \(order.name) 已取消，\(amount) 会原路退回。",
            "Done: order \(order.name) is cancelled, and \(amount) goes back to your original payment method.")
    }

    func addressChanged(_ order: BotOrder, _ address: String) -> String {
        pick("好的，订单 \(order.name) 的收货地址已改为：\(address)。", "Done: order \(order.name) will now be delivered to: \(address).")
    }

    func keptAsIs(_ order: BotOrder?) -> String {
        guard let order else { return pick("好的，不做改动。", "OK, nothing has been changed.") }
        return pick("好的，订单 \(order.name) 保持不变。", "OK, order \(order.name) stays as it is.")
    }

    func cannotCancel(_ order: BotOrder) -> String {
        switch order.status {
        case .cancelled: return pick("订单 \(label(order))已经取消了。", "Order \(label(order)) is already cancelled.")
        case .refunding, .refunded: return orderStatus(order)
        default:
            return pick("订单 \(label(order))已经发货，不能再取消了。", "Order \(label(order)) has already shipped, so it can no longer be cancelled.")
        }
    }

    func returnRoute() -> String {
        pick("可以拒收，或者签收后申请退货。", "You can refuse the delivery, or accept it and return it.")
    }

    func cannotReaddress(_ order: BotOrder) -> String {
        pick(
            "订单 \(label(order))已经\(status(order.status))，地址不能再由我们修改了：",
            "Order \(label(order)) is already \(status(order.status)), so we can no longer change its address:")
    }

    func notShippedReturn(_ order: BotOrder) -> String {
        pick(
            "订单 \(label(order))还没发货，不用退货，直接取消就行，需要我帮您取消吗？",
            "Order \(label(order)) has not shipped yet, so there is nothing to return: it can simply be cancelled. Shall I cancel it?")
    }

    // MARK: Knowledge

    func source(_ citation: KnowledgeCitation) -> String {
        pick("（参考：\(citation.title)）", "(Source: \(citation.title))")
    }

    // MARK: Small talk and trouble

    func hello() -> String {
        pick(
            "您好！我可以帮您查订单和物流、取消或修改未发货的订单，也能解答退换货、退款、优惠券和支付问题。请问有什么可以帮您？",
            "Hi! I can check your orders and deliveries, cancel or change an unshipped order, and answer questions about returns, refunds, coupons and payments. What can I do for you?"
        )
    }

    func thanks() -> String { pick("不客气！还有其他可以帮您的吗？", "You're welcome! Anything else I can help with?") }
    func bye() -> String { pick("好的，祝您生活愉快，再见！", "Thanks for getting in touch. Goodbye!") }

    func notUnderstood() -> String {
        pick(
            "抱歉，我没太明白。我可以帮您查订单和物流、取消或修改未发货订单，也能解答退换货、退款、优惠券和支付问题；需要人工请回复“人工”。",
            "Sorry, I didn't quite get that. I can check orders and deliveries, cancel or change an unshipped order, and answer questions about returns, refunds, coupons and payments. Type \"agent\" for a person."
        )
    }

    func handoff(_ reason: HandoffReason, order: BotOrder? = nil, action: OrderActionKind? = nil) -> String {
        switch reason {
        case .requested:
            return pick("好的，正在为您转接人工客服，客服会看到之前的对话。", "Sure, I'm getting a colleague for you; they will see this conversation.")
        case .angry:
            return pick(
                "非常抱歉给您带来不好的体验，我马上请人工客服来处理。",
                "I'm sorry about this. I'm passing you to a colleague right away; they will see everything you wrote.")
        case .actionFailed:
            let name = order?.name ?? ""
            if action == .changeAddress {
                return pick(
                    "抱歉，订单 \(name) 的地址没有改成功，商城没有接受这个修改。我已转给人工客服处理。",
                    "Sorry, I couldn't change the address of order \(name): the shop did not accept it. A colleague will take over.")
            }
            return pick(
                "抱歉，订单 \(name) 没有取消成功，商城没有接受这个取消。我已转给人工客服处理。",
                "Sorry, I couldn't cancel order \(name): the shop did not accept it. A colleague will take over.")
        case .unanswerable:
            return pick("这个问题我没有把握回答，已经转给人工客服，请稍等。", "I don't have a reliable answer to that, so I'm passing your question to a colleague.")
        case .language:
            return "我们的客服会尽快回复您。 A colleague will reply to you shortly."
        case .failedTurns, .label, .intent, .grounding:
            return pick("我这就为您转接人工客服，请稍等。", "I'm passing you to a colleague now; they will see this conversation.")
        }
    }

    func mail(_ body: String) -> String {
        pick(
            "您好，\n\n\(body)\n\n（智能客服自动回复，回复“人工”可转人工客服）",
            "Hello,\n\n\(body)\n\nCustomer service (automated reply; reply \"agent\" to reach a person)")
    }
}

extension GroundingGuard {
    /// Everything the bot may say about an order, as it says it in either language: what an
    /// evaluation checks replies against, independently of what one turn had in focus.
    package static func sayable(_ order: BotOrder, timeZone: TimeZone) -> String {
        BotPhrases(language: "zh", timeZone: timeZone).factSheet(order) + "\n"
            + BotPhrases(language: "en", timeZone: timeZone).factSheet(order)
    }
}
