/// One HTTP request for ``CurlClient``: a value, so it can be built, logged and retried.
package struct CurlRequest: Sendable {
    package var method: String
    package var url: String
    /// Header lines in order; a name may repeat.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// DNS, TCP and TLS together.
    package var connectTimeout: Duration
    /// The whole transfer, connect included.
    package var timeout: Duration
    /// Off by default: a provider redirecting an API call is a misconfiguration to see,
    /// and Standard Webhooks counts a 3xx as failure.
    package var followRedirects: Bool
    /// HTTP Basic credentials (Twilio's account SID and auth token).
    package var basicAuth: (user: String, password: String)?
    /// A response body larger than this fails the transfer instead of filling memory.
    package var maxResponseBytes: Int

    package init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        connectTimeout: Duration = .seconds(5),
        timeout: Duration = .seconds(30),
        followRedirects: Bool = false,
        basicAuth: (user: String, password: String)? = nil,
        maxResponseBytes: Int = 16 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.basicAuth = basicAuth
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Whether a mail transfer must use TLS: `imaps://`/`smtps://` URLs always do; with
/// `imap://`/`smtp://` this asks for STARTTLS.
package enum MailTLS: Sendable {
    case none
    /// STARTTLS, failing the transfer if the server does not offer it.
    case required
}

/// One IMAP command for ``CurlClient``: a URL (`imap://host/INBOX;UIDVALIDITY=v/;UID=n`
/// fetches a message) and optionally a custom command (`UID SEARCH UID 101:*`).
package struct IMAPRequest: Sendable {
    package var url: String
    package var username: String
    package var password: String
    /// Sent instead of the URL's implied command; its untagged responses are the result.
    package var command: String?
    package var tls: MailTLS
    /// A PEM bundle of certificate authorities to trust instead of the system's (a private server).
    package var caFile: String?
    package var connectTimeout: Duration
    package var timeout: Duration
    package var maxResponseBytes: Int

    package init(
        url: String, username: String, password: String, command: String? = nil, tls: MailTLS = .none, caFile: String? = nil,
        connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(120), maxResponseBytes: Int = 64 << 20
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.command = command
        self.tls = tls
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// One message for SMTP: the envelope and the RFC 5322 bytes, sent as they are.
package struct SMTPRequest: Sendable {
    /// `smtp://host:587/ehlo-name` or `smtps://host:465`.
    package var url: String
    package var username: String?
    package var password: String?
    /// The envelope sender (bounces go there); empty for auto-replies.
    package var mailFrom: String
    /// Every envelope recipient: To, Cc and Bcc.
    package var recipients: [String]
    package var message: [UInt8]
    package var tls: MailTLS
    /// A PEM bundle of certificate authorities to trust instead of the system's.
    package var caFile: String?
    package var connectTimeout: Duration
    package var timeout: Duration

    package init(
        url: String, username: String? = nil, password: String? = nil, mailFrom: String, recipients: [String], message: [UInt8],
        tls: MailTLS = .none, caFile: String? = nil, connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(120)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.message = message
        self.tls = tls
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// What a worker thread runs.
enum Transfer: Sendable {
    case http(CurlRequest)
    case imap(IMAPRequest)
    case smtp(SMTPRequest)

    var maxResponseBytes: Int {
        switch self {
        case .http(let request): request.maxResponseBytes
        case .imap(let request): request.maxResponseBytes
        case .smtp: 1 << 20
        }
    }
}
