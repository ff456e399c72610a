package import struct Foundation.Date

/// Times and waits as providers send them, checked before they become dates or durations:
/// a conversion of NaN, infinity or 1e308 to an integer traps, and one bad delivery must
/// not stop the hub.
package enum ProviderTime {
    /// The latest time taken as real (2200-01-01); later values are a provider's mistake.
    package static let latest: Double = 7_258_118_400

    /// A Unix time in seconds as a date; `nil` unless finite and between 1970 and 2200.
    package static func date(seconds: Double) -> Date? {
        guard seconds.isFinite, seconds >= 0, seconds <= latest else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `"1700000000"` (or with a fraction) as a date; `nil` when it is not a plausible time.
    package static func date(secondsText text: String) -> Date? {
        Double(text).flatMap { date(seconds: $0) }
    }

    /// A wait in seconds (`Retry-After`), clamped to `0...maximum`; `nil` when not a finite number.
    package static func wait(seconds: Double, maximum: Duration) -> Duration? {
        guard seconds.isFinite else { return nil }
        let capped = min(max(seconds, 0), Double(maximum.components.seconds))
        return .milliseconds(Int64((capped * 1000).rounded()))
    }
}

extension Date {
    /// Milliseconds since 1970, for storage; a date no plausible provider time gives is clamped
    /// into range instead of trapping.
    package var epochMilliseconds: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite else { return 0 }
        return Int64(min(max(milliseconds, -ProviderTime.latest * 1000), ProviderTime.latest * 1000))
    }
}
