package import Foundation
package import Logging

/// What the hub lends a channel's adapter when it makes it (``ChannelKind/makeAdapter(for:services:)``):
/// shared services instead of ones each adapter would start for itself.
///
/// ```swift
/// static func makeAdapter(for channel: ChannelConfig, services: AdapterServices) throws(HubError) -> any ChannelAdapter {
///     let settings = try AcmeSettings(channel.settings)
///     return AcmeAdapter(channelID: channel.id, settings: settings, http: try services.shared(CurlClient.self), log: services.logger)
/// }
/// ```
package struct AdapterServices: Sendable {
    /// Open customer sessions, for channels the hub serves itself.
    package var live: any LiveDelivery
    /// The base URL providers call (`server.public_url`), for callback URLs an adapter hands out.
    package var publicBaseURL: String
    /// The hub's logger with this channel's metadata (`channel`, `kind`) already set.
    package var logger: Logger
    /// Where the adapter reads the time of day (token expiry, dates it writes), so that tests can set it.
    package var clock: WallClock
    private var lent: [ObjectIdentifier: any Sendable]

    package init(
        live: any LiveDelivery, publicBaseURL: String = "http://127.0.0.1:8080", logger: Logger = Logger(label: "tributary.channel"),
        clock: WallClock = .system
    ) {
        self.live = live
        self.publicBaseURL = publicBaseURL
        self.logger = logger
        self.clock = clock
        self.lent = [:]
    }

    /// Lends `service` (the hub's HTTP client, say) to the adapters made with these services.
    package mutating func lend<Service: Sendable>(_ service: Service) {
        lent[ObjectIdentifier(Service.self)] = service
    }

    /// The lent service of type `Service`.
    /// - Throws: ``HubError`` `internal_error` when the hub lends no such service, a wiring
    ///   mistake reported when the hub starts, never while it serves.
    package func shared<Service: Sendable>(_ type: Service.Type) throws(HubError) -> Service {
        guard let service = lent[ObjectIdentifier(Service.self)] as? Service else {
            throw HubError(.internalError, code: "missing_service", message: "the hub lends no \(Service.self) to adapters")
        }
        return service
    }

    /// The same services for one channel: the logger carries its id and kind.
    package func forChannel(_ channel: ChannelConfig) -> AdapterServices {
        var services = self
        services.logger[metadataKey: "channel"] = .string(channel.id)
        services.logger[metadataKey: "kind"] = .string(channel.kind)
        return services
    }
}

/// The time of day as an adapter reads it.
package struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    package init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The current time.
    package func now() -> Date {
        read()
    }

    /// The system's clock.
    package static let system = WallClock { Date() }
}
