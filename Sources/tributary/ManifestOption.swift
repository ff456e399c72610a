import ArgumentParser
import Foundation
import HubCore
import HubServer

/// The `--manifest` and `--database` options every command that reads the manifest (and
/// opens its database) shares, and loading with a printed report.
struct ManifestOption: ParsableArguments {
    @Option(name: .long, help: "The manifest to use.")
    var manifest: String = "samples/hub.yaml"

    @Option(help: "SQLite database file (overrides server.database).")
    var database: String?

    /// The validated manifest, or every problem printed to standard error and exit status 1.
    func load() throws -> Manifest {
        let loader = ManifestLoader(registry: .executable, environment: ProcessInfo.processInfo.environment)
        do {
            var loaded = try loader.load(path: manifest)
            if let database { loaded.server.databasePath = database }
            return loaded
        } catch {
            var standardError = StandardError()
            for problem in error.problems {
                print(problem.description, to: &standardError)
            }
            print("\(manifest): \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s") found", to: &standardError)
            throw ExitCode(1)
        }
    }
}

/// Standard error as a `TextOutputStream`, for `print(_:to:)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
