#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import struct Foundation.Date

/// Writes JSON text by hand for the few objects written once per message inside the writer's
/// transaction (the event log's data, an inbox entry's result), where Foundation's encoder
/// was a tenth of the processing stage's CPU. Keys are written in sorted order, like the API's.
public struct JSONText: Sendable {
    public private(set) var text = "{"
    private var first = true

    public init() {}

    /// A JSON string literal of `value`, escaped per RFC 8259.
    public static func quoted(_ value: String) -> String {
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

    /// `2026-12-02T04:32:43.455Z`, as the API writes dates (UTC, milliseconds).
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = date.epochMilliseconds
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)).\(millis)Z"
    }

    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"" + name + "\":"
    }

    /// Adds `"name": value` where `value` is already JSON text; keys must be added in sorted order.
    public mutating func raw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    public mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        raw(name, Self.quoted(value))
    }

    public mutating func integer(_ name: String, _ value: Int64?) {
        guard let value else { return }
        raw(name, String(value))
    }

    public mutating func bool(_ name: String, _ value: Bool) {
        raw(name, value ? "true" : "false")
    }

    public mutating func date(_ name: String, _ value: Date?) {
        guard let value else { return }
        raw(name, "\"" + Self.timestamp(value) + "\"")
    }

    /// The finished object.
    public var object: String { text + "}" }
}
