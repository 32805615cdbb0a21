import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends messages to a mail server with SMTP (RFC 5321), one connection per message.
///
/// Hand-written on SwiftNIO: no SMTP client library is available to the project, and the
/// client side of SMTP that a relay needs is small: EHLO, STARTTLS (RFC 3207) or implicit
/// TLS (RFC 8314), AUTH PLAIN or LOGIN (RFC 4954), MAIL, RCPT, DATA and QUIT. No pipelining,
/// no 8BITMIME or SMTPUTF8: the message is 7-bit MIME, so every relay takes it.
///
/// One connection per message keeps failures apart: a dropped connection or a refused
/// recipient settles one message, and the worker's retry starts clean.
public struct SMTPTransport: MessageTransport {
    public let name = "smtp"
    public let configuration: SMTPConfiguration
    private let tls: NIOSSLContext?
    private let group: any EventLoopGroup

    /// Prepares TLS once (reading a `ca=` file here, so a wrong path shows at start-up).
    public init(_ configuration: SMTPConfiguration,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(DeliveryError) {
        self.configuration = configuration
        self.group = group
        self.tls = configuration.security == .none ? nil : try SMTPTLS.context(for: configuration.trust)
    }

    public func send(_ message: OutgoingMessage) async throws(DeliveryError) -> DeliveryReceipt {
        let config = configuration
        var connection = try await SMTPConnection.connect(
            host: config.host, port: config.port, tls: config.security == .implicitTLS ? tls : nil,
            timeout: config.connectTimeout, group: group)
        do {
            let accepted = try await converse(message, on: &connection)
            // The message is accepted; QUIT is a courtesy, and its failure changes nothing.
            _ = try? await connection.command("QUIT", within: config.commandTimeout, step: "QUIT")
            await connection.close()
            return DeliveryReceipt(transport: name, messageID: message.messageID, providerReference: accepted.summary)
        } catch {
            await connection.close()
            throw error
        }
    }

    private func converse(_ message: OutgoingMessage, on connection: inout SMTPConnection)
        async throws(DeliveryError) -> SMTPReply {
        let config = configuration
        let wait = config.commandTimeout
        let greeting = try await connection.reply(within: wait, step: "the greeting")
        guard greeting.code == 220 else { throw SMTPErrors.rejected(greeting, step: "the connection") }

        var extensions = try await hello(on: connection)
        if config.security == .startTLSRequired || config.security == .startTLSOptional, let tls {
            if extensions.offers("STARTTLS") {
                let reply = try await connection.command("STARTTLS", within: wait, step: "STARTTLS")
                guard reply.code == 220 else { throw SMTPErrors.rejected(reply, step: "STARTTLS") }
                try await connection.startTLS(tls, host: config.host)
                // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
                extensions = try await hello(on: connection)
            } else if config.security == .startTLSRequired {
                throw .permanent(.configuration, "The mail server \(config.host):\(config.port) does not offer STARTTLS, "
                    + "and starttls=required: use smtps:// for port 465, or starttls=off only for a relay on this network.")
            }
        }
        if let credentials = config.credentials {
            try await SMTPAuthentication.authenticate(credentials, method: config.authMethod, extensions: extensions,
                                                      on: connection, within: wait, host: config.host)
        }

        let from = try await connection.command("MAIL FROM:<\(message.from.address)>", within: wait, step: "MAIL FROM")
        guard from.code == 250 else { throw SMTPErrors.rejected(from, step: "the sender <\(message.from.address)>") }
        let to = try await connection.command("RCPT TO:<\(message.to.address)>", within: wait, step: "RCPT TO")
        guard to.code == 250 || to.code == 251 else {
            let text = "The mail server refused the recipient <\(message.to.address)>: \(to.summary)"
            throw to.isTransient ? .temporary(.recipientRefused(code: to.code), text + " (Convene will try again).")
                : .permanent(.recipientRefused(code: to.code), text + ". Check the address.")
        }
        let data = try await connection.command("DATA", within: wait, step: "DATA")
        guard data.code == 354 else { throw SMTPErrors.rejected(data, step: "DATA") }
        await connection.write(Self.dotStuffed(MIMEMessage.bytes(message)))
        // A connection lost here leaves it unknown whether the server kept the message; a
        // retry may deliver it twice, and the stable Message-ID lets clients fold the copies.
        let accepted = try await connection.reply(within: config.dataTimeout, step: "the end of the message")
        guard accepted.code == 250 else { throw SMTPErrors.rejected(accepted, step: "the message") }
        return accepted
    }

    /// EHLO, falling back to HELO for a server that predates extensions.
    private func hello(on connection: SMTPConnection) async throws(DeliveryError) -> SMTPExtensions {
        let wait = configuration.commandTimeout
        let reply = try await connection.command("EHLO \(configuration.heloName)", within: wait, step: "EHLO")
        if reply.code == 250 { return SMTPExtensions(reply) }
        guard reply.code == 500 || reply.code == 502 else { throw SMTPErrors.rejected(reply, step: "EHLO") }
        let helo = try await connection.command("HELO \(configuration.heloName)", within: wait, step: "HELO")
        guard helo.code == 250 else { throw SMTPErrors.rejected(helo, step: "HELO") }
        return SMTPExtensions(SMTPReply(code: 250, lines: []))
    }

    /// The message as DATA carries it (RFC 5321 §4.5.2): CRLF line endings, a dot doubled
    /// at the start of any line, and the terminating `CRLF.CRLF`.
    static func dotStuffed(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 50 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { out.append(UInt8(ascii: "\r")) }
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !atLineStart { out += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        out += Array(".\r\n".utf8)
        return out
    }
}
