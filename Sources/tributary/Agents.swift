import ArgumentParser
import Foundation
import HubCore
import HubServer
import HubStorage

#if canImport(Glibc)
    import Glibc
#endif

/// `tributary agents add`: the first admin (and any account) from the command line.
struct Agents: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage agent accounts.", subcommands: [AddAgent.self])
}

struct AddAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an agent account. The password comes from TRIBUTARY_PASSWORD, or is asked for on a terminal.")

    @OptionGroup var options: ManifestOption
    @Option(help: "The agent's email, their login.") var email: String
    @Option(help: "The name customers and colleagues see.") var name: String
    @Option(help: "admin, supervisor, agent or auditor.") var role: String = "agent"
    @Option(help: "Teams of the manifest, comma-separated.") var teams: String = ""
    @Option(help: "Languages (zh, en, mix), comma-separated; none means any.") var languages: String = ""

    func run() async throws {
        guard let role = Role(rawValue: role) else {
            throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let manifest = try options.load()
        let teamList = teams.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        let known = Set(manifest.routing.teams.map(\.id))
        if let unknown = teamList.first(where: { !known.contains($0) }) {
            throw ValidationError("no team '\(unknown)' under the manifest's teams:")
        }
        let password = try Self.password()
        if let weakness = PasswordPolicy.weakness(password, email: email) { throw ValidationError("weak password: \(weakness)") }
        let store = AgentStore(database: try HubDatabase.open(path: manifest.server.databasePath))
        let skills = Skills(languages: languages.split(separator: ",").map(String.init))
        let agent = try await reportingHubErrors {
            try await store.create(
                NewAgentAccount(
                    email: email, name: name, role: role, passwordHash: try await PasswordHasher().hash(password), teams: teamList,
                    skills: skills, capacity: Capacity()), now: Date())
        }
        print("created \(agent.role.rawValue) \(agent.name) (agent \(agent.id)); log in with POST /api/v1/auth/login")
    }

    /// `TRIBUTARY_PASSWORD`, or typed twice on a terminal without echo.
    static func password() throws -> String {
        if let password = ProcessInfo.processInfo.environment["TRIBUTARY_PASSWORD"], !password.isEmpty { return password }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("set TRIBUTARY_PASSWORD, or run on a terminal to type the password")
        }
        guard let first = getpass("Password: ").map({ String(cString: $0) }), let second = getpass("Again: ").map({ String(cString: $0) })
        else { throw ValidationError("no password read") }
        guard first == second else { throw ValidationError("the two passwords differ") }
        return first
    }
}
