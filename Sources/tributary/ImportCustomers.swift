import ArgumentParser
import Foundation
import HubCore
import HubStorage

/// `tributary import customers FILE.csv`.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data into the hub.", subcommands: [ImportCustomers.self])
}

struct ImportCustomers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "Seed customer profiles from a CRM export (columns: name, email, phone, external_id).",
        discussion: """
            Every row is checked first; a bad row is reported with its line and column and nothing is imported, \
            unless --skip-bad imports the good rows. Rows are resolved like inbound messages: a row whose email, \
            phone or id the hub already knows joins that customer, and the manifest's identity rules merge or \
            propose. Importing the same file again changes nothing.
            """)

    @OptionGroup var options: ManifestOption
    @Argument(help: "The CSV file, with a header row.") var file: String
    @Flag(help: "Import the valid rows and report the bad ones, instead of importing nothing.") var skipBad = false
    @Option(help: "Scopes the external_id column, so two systems' ids never collide.") var source = "crm"
    @Flag(help: "Treat the file's emails and phones as unproven claims (merges on them are only proposed).") var unverified = false

    func run() throws {
        let manifest = try options.load()
        var standardError = StandardError()
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            print("error: cannot read \(file) as UTF-8 text", to: &standardError)
            throw ExitCode(1)
        }
        let policy = IdentityPolicy(manifest.identity)
        let parsed: CustomerCSV.Parsed
        do {
            parsed = try CustomerCSV.parse(text, normaliser: policy.normaliser, source: source, verified: !unverified)
        } catch {
            print("\(file): \(error.description); nothing imported", to: &standardError)
            throw ExitCode(1)
        }
        if !parsed.ignoredColumns.isEmpty {
            print("note: ignoring columns \(parsed.ignoredColumns.joined(separator: ", "))", to: &standardError)
        }
        for problem in parsed.problems.prefix(50) {
            print("\(file): \(problem.description)", to: &standardError)
        }
        if parsed.problems.count > 50 { print("\(file): … and \(parsed.problems.count - 50) more bad rows", to: &standardError) }
        if !parsed.problems.isEmpty && !skipBad {
            print(
                "\(file): \(parsed.problems.count) bad row\(parsed.problems.count == 1 ? "" : "s"); nothing imported (use --skip-bad to import the rest)",
                to: &standardError)
            throw ExitCode(1)
        }
        let database = try HubDatabase.open(path: manifest.server.databasePath)
        let importer = CustomerImporter(database: database, policy: policy)
        let bar = ProgressBar(total: parsed.rows.count)
        let started = ContinuousClock.now
        let summary = try importer.importRows(
            parsed.rows, source: "import:" + URL(fileURLWithPath: file).lastPathComponent, progress: bar.update)
        bar.finish()
        let seconds = (ContinuousClock.now - started).seconds
        let rejectedLines = Set(parsed.problems.map(\.line)).sorted()
        print(
            """
            imported \(file): \(summary.rows) rows in \(String(format: "%.1f", seconds)) s (\(Int(Double(summary.rows) / max(seconds, 0.001))) rows/s)
              created    \(summary.created)
              matched    \(summary.matched)
              merged     \(summary.merged)
              proposals  \(summary.proposals)
              rejected   \(rejectedLines.count)\(rejectedLines.isEmpty ? "" : " (lines " + rejectedLines.prefix(20).map(String.init).joined(separator: ", ") + (rejectedLines.count > 20 ? ", …" : "") + ")")
            """)
    }
}

/// A progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise.
final class ProgressBar {
    let total: Int
    let interactive = isatty(STDERR_FILENO) == 1
    var lastTenth = -1

    init(total: Int) {
        self.total = total
    }

    func update(_ done: Int) {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        var standardError = StandardError()
        if interactive {
            let filled = Int(fraction * 30)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
            print("\r[\(bar)] \(Int(fraction * 100))% \(done)/\(total) rows", terminator: "", to: &standardError)
        } else if Int(fraction * 10) > lastTenth {
            lastTenth = Int(fraction * 10)
            print("import: \(Int(fraction * 100))% \(done)/\(total) rows", to: &standardError)
        }
    }

    func finish() {
        if interactive {
            var standardError = StandardError()
            print("", to: &standardError)
        }
    }
}
