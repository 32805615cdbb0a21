import Foundation

/// SMTP AUTH (RFC 4954) with the two mechanisms every relay offers: PLAIN (RFC 4616) and
/// LOGIN (the older Microsoft form, still the only one on some Exchange relays).
enum SMTPAuthentication {
    static func authenticate(_ credentials: SMTPConfiguration.Credentials, method: SMTPConfiguration.AuthMethod,
                             extensions: SMTPExtensions, on connection: SMTPConnection, within wait: Duration,
                             host: String) async throws(DeliveryError) {
        // Never send a password the network could read; the server should refuse it too,
        // but Convene does not rely on that.
        guard connection.isEncrypted else {
            throw .permanent(.configuration, "A user name and password are configured for \(host) but the connection is "
                + "not encrypted: use starttls=required or smtps://, or remove the credentials for an open relay.")
        }
        let offered = extensions.authMechanisms
        let mechanism: SMTPConfiguration.AuthMethod
        switch method {
        case .automatic:
            if offered.contains("PLAIN") {
                mechanism = .plain
            } else if offered.contains("LOGIN") {
                mechanism = .login
            } else {
                let list = offered.isEmpty ? "no AUTH at all" : "AUTH " + offered.sorted().joined(separator: " ")
                throw .permanent(.configuration, "The mail server \(host) offers no AUTH PLAIN or LOGIN (it offers "
                    + "\(list)); remove the user name and password if it is an open relay.")
            }
        case .plain, .login:
            mechanism = method
        }
        let step = "AUTH \(mechanism.rawValue.uppercased())"
        let done: SMTPReply
        switch mechanism {
        case .plain, .automatic:
            let token = base64("\0\(credentials.username)\0\(credentials.password)")
            done = try await connection.command("AUTH PLAIN \(token)", within: wait, step: step)
        case .login:
            let start = try await connection.command("AUTH LOGIN", within: wait, step: step)
            guard start.code == 334 else { throw refused(start, host: host) }
            let user = try await connection.command(base64(credentials.username), within: wait, step: step)
            guard user.code == 334 else { throw refused(user, host: host) }
            done = try await connection.command(base64(credentials.password), within: wait, step: step)
        }
        guard done.code == 235 else { throw refused(done, host: host) }
    }

    private static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }

    /// 535 (bad credentials) is permanent and says so; 454 (temporary failure) is retried.
    private static func refused(_ reply: SMTPReply, host: String) -> DeliveryError {
        let text = "The mail server \(host) refused the user name and password: \(reply.summary)"
        return reply.isTransient ? .temporary(.authentication, text + " (Convene will try again).")
            : .permanent(.authentication, text + ". Check the credentials in the mail server URL.")
    }
}
