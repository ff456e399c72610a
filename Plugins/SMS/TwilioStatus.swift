import HubCore

/// Twilio's message statuses in their order: a callback only ever moves a message
/// forward (queued < sending < sent < delivered/undelivered/failed < read).
enum TwilioStatus {
    static func report(_ status: String) -> (status: DeliveryStatus, rank: Int)? {
        switch status.lowercased() {
        case "accepted", "scheduled", "queued": (.sent, 1)
        case "sending": (.sent, 2)
        case "sent": (.sent, 3)
        case "delivered", "partially_delivered": (.delivered, 4)
        case "undelivered", "failed", "canceled": (.failed, 4)
        case "read": (.read, 5)
        default: nil
        }
    }
}
