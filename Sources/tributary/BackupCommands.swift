import ArgumentParser
import Foundation
import HubCore
import HubServer
import HubStorage

/// `tributary backup PATH`: a consistent copy of the database while the hub serves (SQLite's
/// backup API reads one snapshot), sealed with `TRIBUTARY_DATA_KEY` when it is set.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database while the hub runs; encrypted when TRIBUTARY_DATA_KEY is set.")

    @Argument(help: "The file to write (it must not exist).") var path: String
    @OptionGroup var manifest: ManifestOption

    func run() async throws {
        let loaded = try manifest.load()
        var standardError = StandardError()
        let key = try environmentDataKey()
        guard !FileManager.default.fileExists(atPath: path) else {
            print("backup failed: \(path) exists: a backup never overwrites a file", to: &standardError)
            throw ExitCode(1)
        }
        let started = Date()
        let plain = key == nil ? path : path + ".plain-\(ProcessInfo.processInfo.processIdentifier)"
        defer { if key != nil { try? FileManager.default.removeItem(atPath: plain) } }
        let summary: DatabaseCopySummary
        do {
            summary = try DatabaseCopy.backup(from: loaded.server.databasePath, to: plain)
            if let key { try SealedFile.seal(plain, to: path, key: key) }
        } catch let error as HubError {
            print("backup failed: \(error.message)", to: &standardError)
            throw ExitCode(1)
        } catch {
            print("backup failed: \(error)", to: &standardError)
            throw ExitCode(1)
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        print(
            "backup written to \(path)\(key == nil ? "" : " (AES-256-GCM with TRIBUTARY_DATA_KEY)"): \(summary.bytes) bytes, "
                + "\(summary.messages) messages, \(summary.customers) customers, \(summary.auditRows) audit rows, "
                + "schema \(summary.schemaVersion ?? "-"), in \(seconds) s")
    }
}

/// `tributary restore PATH`: checks a backup (integrity, schema, contents) and puts it in place of
/// the manifest's database; `--verify` only checks.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Check a backup and restore it as the database (stop the hub first).")

    @Argument(help: "The backup to restore.") var path: String
    @Flag(help: "Only check the backup: open it, run SQLite's integrity check and the audit chain's verification.")
    var verify = false
    @Flag(help: "Overwrite an existing database.") var replace = false
    @OptionGroup var manifest: ManifestOption

    func run() async throws {
        let loaded = try manifest.load()
        var standardError = StandardError()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-restore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let copy = work + "/copy.sqlite"
        do {
            if SealedFile.isSealed(path) {
                guard let key = try environmentDataKey() else {
                    print("\(path) is encrypted: set TRIBUTARY_DATA_KEY to the key it was made with", to: &standardError)
                    throw ExitCode(1)
                }
                try SealedFile.open(path, to: copy, key: key)
            } else {
                try FileManager.default.copyItem(atPath: path, toPath: copy)
            }
            let summary = try DatabaseCopy.summary(of: copy)
            let chain = try await AuditStore(database: try HubDatabase.open(path: copy)).verify()
            print(
                "backup \(path): integrity ok, schema \(summary.schemaVersion ?? "-"), \(summary.messages) messages, "
                    + "\(summary.customers) customers, \(summary.auditRows) audit rows, audit chain \(chain)")
            guard case .intact = chain else {
                print("the backup's audit chain is broken: not restored", to: &standardError)
                throw ExitCode(1)
            }
            if verify { return }
            try DatabaseCopy.restore(from: copy, to: loaded.server.databasePath, replace: replace)
            print("restored into \(loaded.server.databasePath)")
        } catch let exit as ExitCode {
            throw exit
        } catch let error as HubError {
            print("restore failed: \(error.message)", to: &standardError)
            throw ExitCode(1)
        } catch {
            print("restore failed: \(error)", to: &standardError)
            throw ExitCode(1)
        }
    }
}

/// `TRIBUTARY_DATA_KEY`, or its problem on standard error and exit status 1.
func environmentDataKey() throws -> DataKey? {
    do {
        return try DataKey.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        var standardError = StandardError()
        print("error: \(error.message)", to: &standardError)
        throw ExitCode(1)
    }
}
