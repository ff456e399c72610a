import Foundation
import HubCore

/// One decoded push from WeChat (a message or an event), as fields.
struct WeChatPush {
    let fields: [String: String]

    var toUser: String { fields["ToUserName"] ?? "" }
    var openID: String { fields["FromUserName"] ?? "" }
    var messageType: String { (fields["MsgType"] ?? "").lowercased() }
    /// `subscribe`, `click`, … lower-cased: WeChat writes some upper and some lower case.
    var event: String { (fields["Event"] ?? "").lowercased() }
    var eventKey: String { fields["EventKey"] ?? "" }
    var createTime: String { fields["CreateTime"] ?? "" }
    /// The old documentation spells it `MsgID` for voice.
    var messageID: String? { fields["MsgId"] ?? fields["MsgID"] }
    var createdAt: Date? { ProviderTime.date(secondsText: createTime) }

    init(fields: [String: String]) throws(HubError) {
        self.fields = fields
        guard !openID.isEmpty, !messageType.isEmpty else {
            throw HubError.badRequest("malformed_xml", "the WeChat message has no FromUserName or MsgType")
        }
        guard createdAt != nil else { throw HubError.badRequest("malformed_xml", "the WeChat message has no numeric CreateTime") }
        if messageType != "event" && messageID == nil {
            throw HubError.badRequest("malformed_xml", "a WeChat \(messageType) message without MsgId")
        }
    }

    /// Messages dedupe on MsgId; events have none, so sender, time and event stand in.
    var dedupeKey: String {
        if let messageID, messageType != "event" { return "msg:\(messageID)" }
        return "event:\(openID):\(createTime):\(event):\(eventKey)"
    }

    /// The push as hub events; `receivedAt` stands in for a missing `CreateTime`.
    func events(appID: String, receivedAt: Date) -> [InboundEvent] {
        let identities = identities(appID: appID)
        let sentAt = createdAt ?? receivedAt
        if messageType == "event" {
            var events: [InboundEvent] = [
                .activity(
                    CustomerActivity(
                        threadKey: openID, identities: identities, kind: "wechat.\(event)", summary: activitySummary,
                        occurredAt: sentAt, opensReplyWindow: ["subscribe", "click", "scan"].contains(event)))
            ]
            if event == "subscribe" || event == "unsubscribe" {
                events.append(
                    .contactPreference(
                        ContactPreferenceChange(threadKey: openID, optedOut: event == "unsubscribe", reason: event, at: sentAt)))
            }
            return events
        }
        return [
            .message(
                InboundMessage(
                    providerMessageID: messageID, threadKey: openID, identities: identities, senderName: nil, parts: parts,
                    sentAt: sentAt))
        ]
    }

    func identities(appID: String) -> [IdentityHint] {
        var hints = [IdentityHint(kind: .wechatOpenID, value: "\(appID):\(openID)", verified: true)]
        if let unionID = fields["UnionId"] ?? fields["UnionID"], !unionID.isEmpty {
            hints.append(IdentityHint(kind: .wechatUnionID, value: unionID, verified: true))
        }
        return hints
    }

    var parts: [MessagePart] {
        switch messageType {
        case "text":
            return [.text(fields["Content"] ?? "")]
        case "image":
            return [.image(url: fields["PicUrl"] ?? "wechat-media:\(fields["MediaId"] ?? "")", caption: nil)]
        case "voice":
            let media = MessagePart.file(
                url: "wechat-media:\(fields["MediaId"] ?? "")", name: "voice.\(fields["Format"] ?? "amr")",
                mimeType: fields["Format"].map { "audio/\($0.lowercased())" }, size: nil)
            if let recognition = fields["Recognition"], !recognition.isEmpty { return [.text(recognition), media] }
            return [media]
        case "video", "shortvideo":
            return [.file(url: "wechat-media:\(fields["MediaId"] ?? "")", name: "\(messageType).mp4", mimeType: "video/mp4", size: nil)]
        case "location":
            return [
                .location(
                    latitude: Self.coordinate(fields["Location_X"]), longitude: Self.coordinate(fields["Location_Y"]),
                    label: fields["Label"])
            ]
        case "link":
            return [.card(title: fields["Title"] ?? "", text: fields["Description"], imageURL: nil, link: fields["Url"])]
        default:
            return [.text("[unsupported WeChat message type '\(messageType)']")]
        }
    }

    var activitySummary: String {
        switch event {
        case "subscribe":
            eventKey.hasPrefix("qrscene_") ? "Followed the account by scanning QR code \(eventKey.dropFirst(8))" : "Followed the account"
        case "unsubscribe": "Unfollowed the account"
        case "click": "Clicked menu item \(eventKey)"
        case "view": "Opened menu link \(eventKey)"
        case "scan": "Scanned QR code \(eventKey)"
        case "location":
            "Shared location \(fields["Latitude"] ?? "?"), \(fields["Longitude"] ?? "?")"
        default: "WeChat event \(fields["Event"] ?? event)"
        }
    }

    /// A coordinate from the wire: anything that is not a finite number is 0.
    static func coordinate(_ text: String?) -> Double {
        guard let value = text.flatMap(Double.init), value.isFinite else { return 0 }
        return value
    }
}
