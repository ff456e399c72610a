import ArgumentParser
import Foundation
import HubCore
import HubServer
import HubStorage

/// `tributary keys generate|rotate`: the data key that seals secrets at rest and backups.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "The data key (TRIBUTARY_DATA_KEY): make one, or re-seal every secret under a new one.",
        subcommands: [Generate.self, Rotate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new random data key (32 bytes, base64).")

        func run() {
            print(DataKey.random().base64)
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-seal every secret at rest: opened with TRIBUTARY_DATA_KEY, sealed with TRIBUTARY_NEW_DATA_KEY, in one transaction.")

        @OptionGroup var manifest: ManifestOption

        func run() async throws {
            var standardError = StandardError()
            let environment = ProcessInfo.processInfo.environment
            do {
                guard let old = try DataKey.fromEnvironment(environment) else {
                    print("error: set \(DataKey.environmentName) to the current key", to: &standardError)
                    throw ExitCode(1)
                }
                guard let new = try DataKey.fromEnvironment(environment, name: "TRIBUTARY_NEW_DATA_KEY") else {
                    print("error: set TRIBUTARY_NEW_DATA_KEY to the new key (tributary keys generate makes one)", to: &standardError)
                    throw ExitCode(1)
                }
                let database = try manifest.openDatabase()
                let count = try await DataKeyGate.rotate(StoredSecrets(database: database), from: old, to: new, now: Date())
                try await AuditStore(database: database).append(
                    AuditEntry(at: Date(), actor: "cli", action: "keys.rotate", target: "data_key", detail: "\(count) secrets re-sealed"))
                print("re-sealed \(count) secrets under the new key: start the hub with \(DataKey.environmentName) set to it")
            } catch let error as HubError {
                print("error: \(error.message)", to: &standardError)
                throw ExitCode(1)
            }
        }
    }
}
