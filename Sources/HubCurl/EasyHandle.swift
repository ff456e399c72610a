import CCurl

/// One libcurl easy handle, confined to the worker thread that created it. Reusing
/// it across transfers keeps connections to a provider alive.
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

    /// Runs one request to completion on the calling thread.
    func perform(_ request: CurlRequest, cancellation: CancellationFlag) -> Result<CurlResponse, CurlError> {
        // reset clears options but keeps the connection cache, DNS cache and cookies off.
        curl_easy_reset(handle)
        errorBuffer.initialize(to: 0)
        let sink = ResponseSink(limit: request.maxResponseBytes, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        ccurl_setopt_str(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.wholeMilliseconds)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        ccurl_setopt_long(handle, CURLOPT_MAXREDIRS, 5)
        ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_str(handle, CURLOPT_USERAGENT, "tributary")
        // Only HTTP(S) from this client: a provider cannot redirect it to file:// or elsewhere.
        ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")

        switch request.method.uppercased() {
        case "GET":
            ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        case "POST":
            ccurl_setopt_long(handle, CURLOPT_POST, 1)
        default:
            ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method.uppercased())
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
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)

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
        // stops a transfer that waits on a slow provider.
        ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_progressfn(handle) { context, _, _, _, _ in
            Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
        }
        ccurl_setopt_ptr(handle, CURLOPT_XFERINFODATA, context)

        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        guard code == CURLE_OK else {
            let raw = Int(code.rawValue)
            let detail = String(cString: errorBuffer)
            let message: String
            if sink.overflowed {
                message = "the response is larger than \(request.maxResponseBytes) bytes"
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
}

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
