import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to a mail server, spoken to one command at a time.
///
/// Pipeline, from the network in: [NIOSSLClientHandler] → SMTPReplyDecoder → SMTPReplyHandler.
/// Commands are written as raw bytes from the async side; STARTTLS puts the TLS handler at
/// the front of the pipeline once the server has agreed (RFC 3207).
struct SMTPConnection: Sendable {
    let channel: any Channel
    private let replies: NIOLoopBoundBox<SMTPReplyHandler?>
    private(set) var isEncrypted: Bool

    /// Connects, with TLS from the start when `tls` is given (implicit TLS, port 465).
    static func connect(host: String, port: Int, tls: NIOSSLContext?, timeout: Duration,
                        group: any EventLoopGroup) async throws(DeliveryError) -> SMTPConnection {
        let loop = group.next()
        let box = NIOLoopBoundBox.makeEmptyBox(valueType: SMTPReplyHandler.self, eventLoop: loop)
        let serverName = Self.serverName(host)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    let handler = SMTPReplyHandler()
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(handler)
                    box.value = handler
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return SMTPConnection(channel: channel, replies: box, isEncrypted: tls != nil)
        } catch {
            throw SMTPErrors.connectFailed(error, host: host, port: port)
        }
    }

    /// SNI and certificate checks take a host name; for an IP address NIOSSL checks the
    /// certificate against the address it connected to instead.
    static func serverName(_ host: String) -> String? {
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }

    /// The server's next reply, within `timeout`.
    func reply(within timeout: Duration, step: String) async throws(DeliveryError) -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let box = replies
        channel.eventLoop.execute {
            if let handler = box.value {
                handler.nextReply(promise, timeout: TimeAmount(timeout))
            } else {
                promise.fail(SMTPReplyHandler.Failure.closed)
            }
        }
        do {
            return try await promise.futureResult.get()
        } catch {
            throw SMTPErrors.noReply(error, step: step)
        }
    }

    /// Writes bytes as they are (a command line with its CRLF, or the message data).
    ///
    /// A failed write is not reported here: it only says the channel closed, while the
    /// reply handler has heard why (a TLS handshake that failed, a reset), and the reply
    /// awaited next reports that.
    func write(_ bytes: [UInt8]) async {
        try? await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
    }

    /// Sends one command and waits for its reply.
    func command(_ line: String, within timeout: Duration, step: String) async throws(DeliveryError) -> SMTPReply {
        await write(Array((line + "\r\n").utf8))
        return try await reply(within: timeout, step: step)
    }

    /// Puts TLS under the conversation after the server's 220 to STARTTLS. The handshake
    /// runs as the next command is written; a failure surfaces as that command's error.
    mutating func startTLS(_ tls: NIOSSLContext, host: String) async throws(DeliveryError) {
        let serverName = Self.serverName(host)
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw DeliveryError.permanent(.tls, "TLS could not be started with \(host): \(error)")
        }
        isEncrypted = true
    }

    /// Closes the connection; errors are of no interest once the message is settled.
    func close() async {
        try? await channel.close().get()
    }
}
