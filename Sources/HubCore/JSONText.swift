package import struct Foundation.Date

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes JSON text by hand for the few objects written once per message inside the writer's
/// transaction (the event log's data, an inbox entry's result), where Foundation's encoder
/// was a tenth of the processing stage's CPU. Keys are written in sorted order, like the API's.
package struct JSONText: Sendable {
    package private(set) var text = "{"
    private var first = true

    package init() {}

    /// A JSON string literal of `value`, escaped per RFC 8259.
    package static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `2026-12-02T04:32:43.455Z`, as the API writes dates (UTC, milliseconds); with `" "` and
    /// `""`, the form SQLite stores (`2026-12-02 04:32:43.455`).
    /// Milliseconds are cut, as Foundation's ISO 8601 style does, or rounded (`truncating: false`),
    /// as the `DateFormatter` GRDB stores with does.
    package static func timestamp(_ date: Date, separator: String = "T", zone: String = "Z", truncating: Bool = true) -> String {
        var milliseconds = date.epochMilliseconds
        if truncating {
            // The fraction of the second is cut from the seconds' own double, as Foundation does.
            let seconds = date.timeIntervalSince1970.rounded(.down)
            if seconds.isFinite, abs(seconds) < ProviderTime.latest {
                let fraction = ((date.timeIntervalSince1970 - seconds) * 1000).rounded(.down)
                milliseconds = Int64(seconds) * 1000 + Int64(min(fraction, 999))
            }
        }
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        let year = parts.tm_year + 1900
        let paddedYear = year < 10 ? "000\(year)" : year < 100 ? "00\(year)" : year < 1000 ? "0\(year)" : "\(year)"
        return "\(paddedYear)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))\(separator)\(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)).\(millis)\(zone)"
    }

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"" + name + "\":"
    }

    /// Adds `"name": value` where `value` is already JSON text; keys must be added in sorted order.
    package mutating func raw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    package mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        raw(name, Self.quoted(value))
    }

    package mutating func integer(_ name: String, _ value: Int64?) {
        guard let value else { return }
        raw(name, String(value))
    }

    /// A finite number as JSON (a non-finite one, which JSON cannot carry, as 0).
    package mutating func number(_ name: String, _ value: Double) {
        raw(name, value.isFinite ? "\(value)" : "0")
    }

    package mutating func bool(_ name: String, _ value: Bool) {
        raw(name, value ? "true" : "false")
    }

    package mutating func date(_ name: String, _ value: Date?) {
        guard let value else { return }
        raw(name, "\"" + Self.timestamp(value) + "\"")
    }

    /// The finished object.
    package var object: String { text + "}" }
}
