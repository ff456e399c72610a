import Hummingbird

/// Times every request into `tributary_http_request_duration_seconds`, labelled by the matched
/// route's pattern (or `unmatched`: Hummingbird names a path no route matched `NotFound`), the
/// method and the status class.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let metrics: HubMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = (ContinuousClock.now - started).components
            metrics.recordRequest(
                route: context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched", method: request.method.rawValue,
                status: status,
                nanoseconds: elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as any HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}
