import Foundation
import HubCore

/// Kuaidi100's trace JSON (`lastResult` of a push, or a realtime query's answer).
struct Kuaidi100Trace: Decodable {
    var state: String?
    var ischeck: String?
    var com: String?
    var nu: String?
    var data: [Scan]?

    struct Scan: Decodable {
        var time: String?
        var ftime: String?
        var context: String?
        var status: String?
        var statusCode: String?
        var areaName: String?
    }

    func update(finished: Bool) throws(HubError) -> TrackingUpdate {
        guard let number = nu, !number.isEmpty else { throw HubError.badRequest("missing_tracking_number", "the trace has no nu") }
        let checkpoints = (data ?? []).compactMap { scan -> TrackingCheckpoint? in
            guard let time = (scan.ftime ?? scan.time).flatMap(Kuaidi100Trace.date), let text = scan.context else { return nil }
            let stage = scan.statusCode.flatMap(Kuaidi100Trace.stage(code:)) ?? scan.status.flatMap(Kuaidi100Trace.stage(word:))
            return TrackingCheckpoint(time: time, stage: stage, text: text, area: scan.areaName)
        }
        return TrackingUpdate(
            carrier: com ?? "", trackingNumber: number, stage: state.flatMap(Kuaidi100Trace.stage(code:)), checkpoints: checkpoints,
            finished: finished || ischeck == "1")
    }

    /// Kuaidi100 writes mainland China time without a zone.
    static func date(_ text: String) -> Date? {
        let pieces = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" }).compactMap { Int($0) }
        guard pieces.count >= 5 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute) =
            (pieces[0], pieces[1], pieces[2], pieces[3], pieces[4])
        components.second = pieces.count > 5 ? pieces[5] : 0
        components.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return Calendar(identifier: .gregorian).date(from: components)
    }

    /// `state` codes: 0 in transit, 1 picked up, 2 problem, 3 signed for, 4 return signed,
    /// 5 out for delivery, 6 returned, 7 transferred, 8 and 10–13 customs, 14 refused;
    /// `resultv2` sub-states add digits after the main one (`501`, `301`).
    static func stage(code: String) -> ShipmentStage? {
        switch code {
        case "14": return .exception
        case "8", "10", "11", "12", "13": return .inTransit
        default: break
        }
        guard let first = code.first else { return nil }
        switch first {
        case "0", "7": return .inTransit
        case "1": return .pickedUp
        case "2": return .exception
        case "3": return .delivered
        case "4", "6": return .returned
        case "5": return .outForDelivery
        default: return nil
        }
    }

    static func stage(word: String) -> ShipmentStage? {
        if word.contains("揽收") { return .pickedUp }
        if word.contains("派件") || word.contains("派送") { return .outForDelivery }
        if word.contains("签收") && !word.contains("退") { return .delivered }
        if word.contains("疑难") || word.contains("拒签") { return .exception }
        if word.contains("退") { return .returned }
        if word.contains("在途") || word.contains("运输") { return .inTransit }
        return nil
    }
}

/// The push callback's `param`.
struct Kuaidi100Push: Decodable {
    var status: String?
    var lastResult: Kuaidi100Trace?
}
