/// One HTTP request for ``CurlClient``: a value, so it can be built, logged and retried.
public struct CurlRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// DNS, TCP and TLS together.
    public var connectTimeout: Duration
    /// The whole transfer, connect included.
    public var timeout: Duration
    /// Off by default: a provider redirecting an API call is a misconfiguration to see,
    /// and Standard Webhooks counts a 3xx as failure.
    public var followRedirects: Bool
    /// HTTP Basic credentials (Twilio's account SID and auth token).
    public var basicAuth: (user: String, password: String)?
    /// A response body larger than this fails the transfer instead of filling memory.
    public var maxResponseBytes: Int

    public init(
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
public enum MailTLS: Sendable {
    case none
    /// STARTTLS, failing the transfer if the server does not offer it.
    case required
}

/// One IMAP command for ``CurlClient``: a URL (`imap://host/INBOX;UIDVALIDITY=v/;UID=n`
/// fetches a message) and optionally a custom command (`UID SEARCH UID 101:*`).
public struct IMAPRequest: Sendable {
    public var url: String
    public var username: String
    public var password: String
    /// Sent instead of the URL's implied command; its untagged responses are the result.
    public var command: String?
    public var tls: MailTLS
    /// A PEM bundle of certificate authorities to trust instead of the system's (a private server).
    public var caFile: String?
    public var connectTimeout: Duration
    public var timeout: Duration
    public var maxResponseBytes: Int

    public init(
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
public struct SMTPRequest: Sendable {
    /// `smtp://host:587/ehlo-name` or `smtps://host:465`.
    public var url: String
    public var username: String?
    public var password: String?
    /// The envelope sender (bounces go there); empty for auto-replies.
    public var mailFrom: String
    /// Every envelope recipient: To, Cc and Bcc.
    public var recipients: [String]
    public var message: [UInt8]
    public var tls: MailTLS
    /// A PEM bundle of certificate authorities to trust instead of the system's.
    public var caFile: String?
    public var connectTimeout: Duration
    public var timeout: Duration

    public init(
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
