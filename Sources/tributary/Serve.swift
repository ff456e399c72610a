// Public: `Logger.Level`'s conformance to `ExpressibleByArgument` below is a public one.
public import ArgumentParser
import Foundation
import HubCore
import HubServer
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `tributary serve`: run the hub.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the hub on a manifest (refuses an invalid one).")

    @OptionGroup var options: ManifestOption

    @Option(help: "Port to listen on (overrides server.listen); 0 picks a free one.")
    var port: Int?

    @Option(help: "Address to listen on (overrides server.listen).")
    var host: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "The most inbox entries one processing transaction applies.")
    var processingBatch: Int = 256

    @Flag(help: .hidden)
    var benchEndpoints = false

    func run() async throws {
        let manifest = try options.load()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tributary")
        var hubOptions = HubOptions(
            host: host, port: port, databasePath: options.database, benchEndpoints: benchEndpoints,
            processingBatch: max(processingBatch, 1),
            onListening: { port in
                // A line for scripts and tests that start the hub on port 0.
                FileHandle.standardOutput.write(Data("tributary listening on port \(port)\n".utf8))
            })
        hubOptions.manifestPath = options.manifest
        hubOptions.dataKey = try environmentDataKey()
        let app = try await buildApplication(manifest: manifest, registry: .executable, options: hubOptions, logger: logger)
        // A connection can hold graceful shutdown open (e.g. one accepted just before the
        // listener closed, still deciding on a WebSocket upgrade). Bound the wait: by then
        // the writer has committed every acknowledged message.
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(8)
        configuration.maximumCancellationDuration = .seconds(5)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as ServiceGroupError {
            logger.warning("shutdown did not finish gracefully in time; stopped", metadata: ["error": "\(error)"])
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
