import Logging
import NIOCore

/// The first handler of every connection, ahead of the HTTP decoder:
/// - caps the connections one client address holds (``ConnectionCounter``), closing the extra
///   one at once, and logs it;
/// - gives each request head `headerTimeout` to arrive, from the connection's start or the head's
///   first byte, so that half a request cannot hold a connection (a kept-alive connection with
///   nothing started is closed by Hummingbird's idle timeout instead);
/// - answers a head with a control character (or a bare CR) with `400` and a JSON error, and
///   closes, rather than leaving the client without an answer (``RequestHeadScanner``).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counter: ConnectionCounter
    private let headerTimeout: TimeAmount
    private let logger: Logger
    private var scanner = RequestHeadScanner()
    private var address: String?
    private var admitted = false
    private var refused = false
    private var deadline: Scheduled<Void>?

    init(counter: ConnectionCounter, headerTimeout: TimeAmount, logger: Logger) {
        self.counter = counter
        self.headerTimeout = headerTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        let wasInsideHead = scanner.isInsideHead
        let (verdict, headsEnded) = buffer.withUnsafeReadableBytes { scanner.read($0) }
        if case .malformed(let reason) = verdict {
            refuse(context: context, reason: reason)
            return
        }
        if scanner.isInsideHead {
            if !wasInsideHead || headsEnded > 0 { arm(context: context) }
        } else if headsEnded > 0 || scanner.state == .passthrough {
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func start(context: ChannelHandlerContext) {
        guard address == nil else { return }
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        self.address = address
        guard counter.admit(address) else {
            logger.notice(
                "connection refused: too many from one address",
                metadata: ["source_ip": .string(address), "cap": "\(counter.capPerAddress)"])
            refused = true
            context.close(promise: nil)
            return
        }
        admitted = true
        arm(context: context)
    }

    private func arm(context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: headerTimeout) { [self] in
            let context = loopBound.value
            logger.notice(
                "connection closed: the request head did not arrive in time",
                metadata: ["source_ip": .string(address ?? "unknown"), "timeout_ms": "\(headerTimeout.nanoseconds / 1_000_000)"])
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func refuse(context: ChannelHandlerContext, reason: String) {
        refused = true
        disarm()
        logger.notice("malformed request refused", metadata: ["source_ip": .string(address ?? "unknown"), "reason": .string(reason)])
        let body = #"{"error":"malformed_request","message":"\#(reason)"}"#
        let response =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            + body
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func finish() {
        disarm()
        if admitted, let address {
            counter.release(address)
            admitted = false
        }
    }
}
