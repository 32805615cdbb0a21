import NIOCore
import NIOPosix
import NIOSSL

/// Turns what NIO, TLS and the server report into `DeliveryError`s a person can act on,
/// deciding for each whether a later retry may help (RFC 5321 §4.2.1: 4yz replies are
/// transient, 5yz permanent).
enum SMTPErrors {
    static func connectFailed(_ error: any Error, host: String, port: Int) -> DeliveryError {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .temporary(.timeout, "The mail server \(host):\(port) did not accept a connection in time; it may be down or blocked by a firewall.")
        }
        if isTLS(error) {
            return tlsFailed(error, host: host)
        }
        return .temporary(.unreachable, "Could not connect to the mail server \(host):\(port) (\(error)); it may be down, or the host or port may be wrong.")
    }

    static func noReply(_ error: any Error, step: String) -> DeliveryError {
        switch error {
        case SMTPReplyHandler.Failure.timedOut:
            return .temporary(.timeout, "The mail server did not answer \(step) in time.")
        case SMTPReplyHandler.Failure.closed:
            return .temporary(.connectionLost, "The mail server closed the connection during \(step).")
        case SMTPReplyHandler.Failure.failed(let underlying):
            return noReply(underlying, step: step)
        case let protocolError as SMTPProtocolError:
            return .permanent(.configuration, "The server does not speak SMTP as expected during \(step) (\(protocolError)); check the host, port and smtp/smtps scheme.")
        default:
            if isTLS(error) { return tlsFailed(error, host: "the mail server") }
            return .temporary(.connectionLost, "The connection to the mail server broke during \(step) (\(error)).")
        }
    }

    static func isTLS(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    static func tlsFailed(_ error: any Error, host: String) -> DeliveryError {
        .permanent(.tls, "TLS with \(host) failed (\(error)): the server's certificate may not be trusted or not name this host; set ca= to its CA file.")
    }

    /// A reply that is not the one expected: the reply code decides whether to retry.
    static func rejected(_ reply: SMTPReply, step: String) -> DeliveryError {
        let text = "The mail server refused \(step): \(reply.summary)"
        return reply.isTransient ? .temporary(.rejected(code: reply.code), text + " (Convene will try again).")
            : .permanent(.rejected(code: reply.code), text + ".")
    }
}
