import Foundation

/// A throwaway dovecot (IMAP) and aiosmtpd (SMTP, delivering into the same maildir),
/// started for a test under a temporary directory, as `scripts/install-deps.sh --test`
/// installs them.
final class MailServers {
    let directory: URL
    let imapPort: Int
    let smtpPort: Int
    let user = "support"
    let password = "s3cret-pass"
    private var processes: [Process] = []

    var maildir: URL { directory.appendingPathComponent("mail/\(user)") }
    var imapBase: String { "imap://127.0.0.1:\(imapPort)" }
    var smtpURL: String { "smtp://127.0.0.1:\(smtpPort)/hub.example.com" }

    init() throws {
        directory = URL(fileURLWithPath: "/tmp/tributary-mail-\(UUID().uuidString.prefix(8))")
        // A complete maildir: aiosmtpd's Mailbox handler writes through tmp/ into new/.
        // dovecot serves the mail as `nobody` (it refuses uid 0), while aiosmtpd writes as
        // this process: the maildir is open to both.
        for folder in ["", "/cur", "/new", "/tmp"] {
            let path = directory.appendingPathComponent("mail/\(user)\(folder)")
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path.path)
        }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o777], ofItemAtPath: directory.appendingPathComponent("mail").path)
        // dovecot's auth process runs as its own user and must read this tree.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        imapPort = try Self.freePort()
        smtpPort = try Self.freePort()
        let root = directory.path
        try "\(user):{PLAIN}\(password)\n".write(to: directory.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        try """
        base_dir = \(root)/run
        log_path = \(root)/dovecot.log
        protocols = imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        mail_location = maildir:\(root)/mail/%u
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u \(root)/passwd
        }
        userdb {
          driver = static
          args = uid=nobody gid=nogroup home=\(root)/mail/%u
        }
        service imap-login {
          inet_listener imap {
            port = \(imapPort)
          }
          inet_listener imaps {
            port = 0
          }
          chroot =
        }
        service anvil {
          chroot =
        }
        """.write(to: directory.appendingPathComponent("dovecot.conf"), atomically: true, encoding: .utf8)
        try start("/usr/sbin/dovecot", ["-F", "-c", "\(root)/dovecot.conf"])
        try start(
            "/usr/bin/env",
            ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(smtpPort)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path])
        try Self.waitForPort(imapPort)
        try Self.waitForPort(smtpPort)
    }

    deinit {
        // Throwaway servers: SIGKILL, because a child started here may have SIGTERM blocked;
        // dovecot's own children exit when their master's pipe closes.
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        // Foundation reaps the children; give dovecot a moment to close its log before the
        // directory goes.
        Thread.sleep(forTimeInterval: 0.3)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Puts a message in the mailbox the way a delivery agent does.
    func deliver(_ message: [UInt8]) throws {
        let file = maildir.appendingPathComponent("new").appendingPathComponent("\(Date().timeIntervalSince1970).\(UUID().uuidString).hub")
        try Data(message).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: file.path)
    }

    private func start(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
    }

    static func freePort() throws -> Int {
        let probe = Process()
        let pipe = Pipe()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"]
        probe.standardOutput = pipe
        try probe.run()
        probe.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw ServerError("no free port") }
        return port
    }

    static func waitForPort(_ port: Int) throws {
        for _ in 0..<100 {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            probe.arguments = ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 0.2)"]
            probe.standardError = FileHandle.nullDevice
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ServerError("port \(port) never opened")
    }

    struct ServerError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
