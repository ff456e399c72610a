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
