import ConveneCore
import Foundation

extension SMTPConfiguration {
    /// Reads a mail server setting written as a URL:
    ///
    ///     smtp://relay.internal:25?starttls=off                 a relay on the private network
    ///     smtp://user:secret@smtp.example.org:587               submission with STARTTLS and AUTH
    ///     smtp://user:secret@smtp.example.org?starttls=required&auth=login
    ///     smtps://user:secret@smtp.example.org                  implicit TLS on port 465
    ///     smtp://localhost:2525?starttls=required&ca=/etc/convene/relay-ca.pem
    ///
    /// - scheme: `smtp` (port 587 unless given; STARTTLS required unless `starttls=` says
    ///   otherwise) or `smtps` (port 465, TLS from the start).
    /// - user and password: for AUTH, percent-encoded where they hold `@`, `:` or `/`.
    /// - `starttls=required|optional|off`: only with `smtp`.
    /// - `auth=auto|plain|login`: the SASL mechanism; `auto` prefers PLAIN.
    /// - `ca=PATH`: trust the certificates in this PEM file instead of the system's roots.
    /// - `insecure=true`: accept any certificate (never in production).
    /// - `helo=NAME`: the name for EHLO, if not this machine's host name.
    /// - `timeout=SECONDS`, `data_timeout=SECONDS`: per-command and end-of-data waits.
    ///
    /// The field in an error is the part of the URL that is wrong.
    public init(url text: String) throws(InputError) {
        guard let url = URLComponents(string: text.trimmed), let scheme = url.scheme?.lowercased() else {
            throw InputError(field: "url", "is not a URL: write it like smtp://user:password@host:587")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw InputError(field: "scheme", "must be smtp or smtps, not \(scheme)")
        }
        guard let host = url.host, !host.isEmpty else {
            throw InputError(field: "host", "is missing: write it like smtp://host:587")
        }
        let implicit = scheme == "smtps"
        if let port = url.port, !(1...65_535).contains(port) {
            throw InputError(field: "port", "must be between 1 and 65535")
        }
        self.init(host: host, port: url.port ?? (implicit ? 465 : 587), security: implicit ? .implicitTLS : .startTLSRequired)
        if let user = url.user, !user.isEmpty {
            credentials = Credentials(username: user, password: url.password ?? "")
        }
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "starttls":
                guard !implicit else {
                    throw InputError(field: "starttls", "does not apply to smtps, which is encrypted from the start")
                }
                guard let mode = Security(rawValue: value.lowercased()), mode != .implicitTLS else {
                    throw InputError(field: "starttls", "must be required, optional or off, not “\(value)”")
                }
                security = mode
            case "auth":
                guard let method = AuthMethod(rawValue: value.lowercased()) else {
                    throw InputError(field: "auth", "must be auto, plain or login, not “\(value)”")
                }
                authMethod = method
            case "ca":
                guard !value.isBlank else { throw InputError(field: "ca", "must be the path of a PEM file") }
                trust = .certificateFile(value)
            case "insecure":
                guard let on = Bool(value.lowercased()) else { throw InputError(field: "insecure", "must be true or false") }
                if on { trust = .insecureNoVerification }
            case "helo":
                guard !value.isBlank, !value.contains(where: { $0.isWhitespace }) else {
                    throw InputError(field: "helo", "must be a host name without spaces")
                }
                heloName = value
            case "timeout":
                commandTimeout = try Self.seconds(value, field: "timeout")
            case "data_timeout":
                dataTimeout = try Self.seconds(value, field: "data_timeout")
            default:
                throw InputError(field: FieldPath(item.name),
                                 "is not a setting: use starttls, auth, ca, insecure, helo, timeout or data_timeout")
            }
        }
    }

    private static func seconds(_ text: String, field: FieldPath) throws(InputError) -> Duration {
        guard let seconds = Int(text), (1...3600).contains(seconds) else {
            throw InputError(field: field, "must be a whole number of seconds from 1 to 3600")
        }
        return .seconds(seconds)
    }
}
