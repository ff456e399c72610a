import Foundation
import HubCore

/// A declarative channel as its plug-in file describes it: how inbound requests are
/// authenticated and mapped, and how a reply is sent.
struct WebhookPlugin: Sendable {
    var name: String
    var settings: SettingsSchema
    var auth: InboundAuth
    /// JSON pointer or `header:Name`; `nil` means the Standard Webhooks `webhook-id`.
    var dedupeKey: String?
    /// Deliveries where this pointer is absent are acknowledged and ignored (other update types).
    var acceptIf: String?
    /// Messages; `nil` when the channel carries only orders and shipments.
    var mapping: FieldMapping?
    /// Where the event type is (`/type`), for channels whose deliveries are of several kinds.
    var eventType: String?
    /// Event types that carry an order, and where its fields are.
    var orders: CommerceMapping?
    /// Event types that carry a shipment, and where its fields are.
    var shipments: CommerceMapping?
    var acknowledgement: WebhookReply?
    var outbound: OutboundTemplate?

    enum InboundAuth: Sendable {
        case headerSecret(header: String, secret: Template)
        case hmac(algorithm: HMACAlgorithm, header: String, encoding: SignatureEncoding, prefix: String, secret: Template)
        case standardWebhooks(secret: Template, tolerance: Duration)
    }

    enum HMACAlgorithm: String, Sendable {
        case sha256 = "hmac_sha256"
        case sha1 = "hmac_sha1"
    }
    enum SignatureEncoding: String, Sendable { case hex, base64 }

    struct FieldMapping: Sendable {
        var conversation: String
        var text: String
        var messageID: String?
        var senderID: String?
        var senderName: [String]
        var senderPhone: String?
        var senderEmail: String?
        /// Whether the provider proves the phone and email it sends (it verified them).
        var contactsVerified: Bool
        var timestamp: String?
        var mediaURL: String?
    }

    /// Event types of one kind and JSON pointers for its fields.
    struct CommerceMapping: Sendable {
        var types: Set<String>
        var fields: [String: String]

        static let orderFields: Set<String> = [
            "id", "updated_at", "name", "created_at", "financial_status", "fulfillment_status", "cancelled_at", "currency", "total",
            "customer_id", "customer_email", "customer_phone", "customer_name", "tracking_number", "carrier", "tracking_url",
            "shipment_status",
        ]
        static let shipmentFields: Set<String> = [
            "id", "order_id", "updated_at", "status", "shipment_status", "tracking_number", "carrier", "tracking_url",
        ]
    }

    struct OutboundTemplate: Sendable {
        var method: String
        var url: Template
        var headers: [(String, Template)]
        /// The JSON body, placeholders in its strings.
        var body: ConfigNode?
        var messageID: String?
        var successIf: String?
        var retryOnStatus: Set<Int>
        var retryAfter: String?
    }
}

/// A string with `{{…}}` placeholders: `settings.NAME`, and at send time
/// `conversation`, `text`, `message_id`, `idempotency_key`.
struct Template: Sendable, Hashable {
    var text: String

    static let sendPlaceholders: Set<String> = ["conversation", "text", "message_id", "idempotency_key"]

    /// Placeholder names in order of appearance.
    var placeholders: [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    func render(_ values: [String: String]) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += values[name] ?? ""
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}
