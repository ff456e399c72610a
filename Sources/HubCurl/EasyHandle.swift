import CCurl

/// One libcurl easy handle, confined to the worker thread that created it. Reusing
/// it across transfers keeps connections to a provider (and IMAP/SMTP sessions) alive.
final class EasyHandle {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one transfer to completion on the calling thread.
    func perform(_ transfer: Transfer, cancellation: CancellationFlag) -> Result<CurlResponse, CurlError> {
        // reset clears options but keeps the connection cache and DNS cache.
        curl_easy_reset(handle)
        errorBuffer.initialize(to: 0)
        let sink = ResponseSink(limit: transfer.maxResponseBytes, cancellation: cancellation)
        var lists = SlistOwner()
        defer { lists.free() }
        var upload: UploadSource?

        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        switch transfer {
        case .http(let request):
            configure(request, lists: &lists)
        case .imap(let request):
            configure(request)
        case .smtp(let request):
            let source = UploadSource(request.message)
            upload = source
            configure(request, source: source, lists: &lists)
        }

        let context = Unmanaged.passUnretained(sink).toOpaque()
        ccurl_setopt_writefn(handle) { buffer, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            return sink.appendBody(buffer, size * count)
        }
        ccurl_setopt_ptr(handle, CURLOPT_WRITEDATA, context)
        ccurl_setopt_headerfn(handle) { buffer, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            return sink.appendHeaderLine(buffer, size * count)
        }
        ccurl_setopt_ptr(handle, CURLOPT_HEADERDATA, context)
        // The progress callback runs even while no data flows, so a cancelled task
        // stops a transfer that waits on a slow server.
        ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_progressfn(handle) { context, _, _, _, _ in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        ccurl_setopt_ptr(handle, CURLOPT_XFERINFODATA, context)

        let code = withExtendedLifetime((sink, upload)) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            let raw = Int(code.rawValue)
            let detail = String(cString: errorBuffer)
            let message: String
            if sink.overflowed {
                message = "the response is larger than \(transfer.maxResponseBytes) bytes"
            } else if cancellation.isCancelled {
                message = "the transfer was cancelled"
            } else {
                message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            }
            return .failure(CurlError(code: raw, name: CurlError.name(of: raw), message: message))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var connects = 0
        ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return .success(CurlResponse(status: status, headers: sink.headers, body: sink.body, newConnections: connects))
    }

    private func configure(_ request: CurlRequest, lists: inout SlistOwner) {
        ccurl_setopt_str(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
        ccurl_setopt_str(handle, CURLOPT_USERAGENT, "tributary")
        // Only HTTP(S) from this request: a provider cannot redirect it to file:// or elsewhere.
        ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        switch request.method.uppercased() {
        case "GET": ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        case "POST": ccurl_setopt_long(handle, CURLOPT_POST, 1)
        default: ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method.uppercased())
        }
        if !request.body.isEmpty || request.method.uppercased() == "POST" {
            ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            // COPYPOSTFIELDS copies, so the Swift array need not outlive this call.
            if request.body.isEmpty {
                ccurl_setopt_str(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                request.body.withUnsafeBufferPointer { bytes in
                    _ = ccurl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
                }
            }
        }
        if let credentials = request.basicAuth {
            ccurl_setopt_long(handle, CURLOPT_HTTPAUTH, ccurl_auth_basic())
            ccurl_setopt_str(handle, CURLOPT_USERNAME, credentials.user)
            ccurl_setopt_str(handle, CURLOPT_PASSWORD, credentials.password)
        }
        // An empty `Expect:` stops libcurl from waiting for `100 Continue` on larger bodies.
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, lists.make(request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]))
    }

    private func configure(_ request: IMAPRequest) {
        ccurl_setopt_str(handle, CURLOPT_URL, request.url)
        ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "imap,imaps")
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        ccurl_setopt_str(handle, CURLOPT_USERNAME, request.username)
        ccurl_setopt_str(handle, CURLOPT_PASSWORD, request.password)
        if request.tls == .required { ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = request.caFile { ccurl_setopt_str(handle, CURLOPT_CAINFO, caFile) }
        if let command = request.command { ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, command) }
    }

    private func configure(_ request: SMTPRequest, source: UploadSource, lists: inout SlistOwner) {
        ccurl_setopt_str(handle, CURLOPT_URL, request.url)
        ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        if let username = request.username { ccurl_setopt_str(handle, CURLOPT_USERNAME, username) }
        if let password = request.password { ccurl_setopt_str(handle, CURLOPT_PASSWORD, password) }
        if request.tls == .required { ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = request.caFile { ccurl_setopt_str(handle, CURLOPT_CAINFO, caFile) }
        ccurl_setopt_str(handle, CURLOPT_MAIL_FROM, "<\(request.mailFrom)>")
        ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, lists.make(request.recipients.map { "<\($0)>" }))
        ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        ccurl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.message.count))
        ccurl_setopt_readfn(handle) { buffer, size, count, context in
            Unmanaged<UploadSource>.fromOpaque(context!).takeUnretainedValue().read(into: buffer, size * count)
        }
        ccurl_setopt_ptr(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
    }
}

/// The bytes of an upload, handed to libcurl's read callback in chunks.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            buffer.withMemoryRebound(to: UInt8.self, capacity: count) { target in
                target.update(from: source.baseAddress! + offset, count: count)
            }
        }
        offset += count
        return count
    }
}

/// `curl_slist`s that must live until the transfer ends, freed together after it.
struct SlistOwner {
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    mutating func make(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        if let list { lists.append(list) }
        return list
    }

    mutating func free() {
        for list in lists { curl_slist_free_all(list) }
        lists = []
    }
}

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
