import NIOCore

/// Hands the server's replies, one at a time, to whoever is waiting for the next one.
///
/// SMTP is strictly request–reply, so there is never more than one waiter; a reply that
/// arrives before anyone waits is kept. Lives on the channel's event loop; the async side
/// reaches it through `NIOLoopBoundBox`.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    /// Why no further reply will come.
    enum Failure: Error {
        case closed
        case timedOut
        case failed(any Error)
    }

    private var context: ChannelHandlerContext?
    private var replies: [SMTPReply] = []
    private var waiter: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    private var failure: Failure?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Completes `promise` with the next reply, or fails it after `timeout` and closes the
    /// connection (a server that missed one reply cannot be trusted with the next command).
    func nextReply(_ promise: EventLoopPromise<SMTPReply>, timeout: TimeAmount) {
        if !replies.isEmpty {
            promise.succeed(replies.removeFirst())
            return
        }
        if let failure {
            promise.fail(failure)
            return
        }
        guard let context else {
            promise.fail(Failure.closed)
            return
        }
        let scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] () -> Void in
            self?.fail(.timedOut)
        }
        waiter = (promise, scheduled)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let waiting = waiter {
            waiter = nil
            waiting.timeout.cancel()
            waiting.promise.succeed(reply)
        } else {
            replies.append(reply)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.failed(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed)
        context.fireChannelInactive()
    }

    private func fail(_ reason: Failure) {
        if failure == nil { failure = reason }
        if let waiting = waiter {
            waiter = nil
            waiting.timeout.cancel()
            waiting.promise.fail(failure ?? reason)
        }
        context?.close(promise: nil)
    }
}
