import Foundation

/// The carrier keywords every SMS sender must honour.
enum SMSKeyword: Equatable {
    case stop, start, help

    init?(body: String) {
        switch body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() {
        case "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE": self = .stop
        case "START", "YES", "UNSTOP": self = .start
        case "HELP", "INFO": self = .help
        default: return nil
        }
    }
}
