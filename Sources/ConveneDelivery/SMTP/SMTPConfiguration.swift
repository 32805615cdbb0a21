import Foundation

/// Where and how to hand messages to a mail server. Usually made from a URL-like string
/// (see `init(url:)`).
public struct SMTPConfiguration: Hashable, Sendable {
    /// How the connection is encrypted.
    public enum Security: String, Hashable, Sendable {
        /// TLS from the first byte (port 465, "SMTPS", RFC 8314).
        case implicitTLS = "smtps"
        /// Plain connection upgraded with STARTTLS; refuses to send if the server does not offer it.
        case startTLSRequired = "required"
        /// STARTTLS when the server offers it, otherwise unencrypted. Only for relays on a
        /// private network that cannot do TLS.
        case startTLSOptional = "optional"
        /// Never encrypted: a relay on the same host or a test server.
        case none = "off"
    }

    /// Which certificates the server's may chain to.
    public enum Trust: Hashable, Sendable {
        /// The operating system's root certificates (a public relay, Microsoft 365, Gmail).
        case systemRoots
        /// The certificates in a PEM file: an organisation's own CA, or a self-signed
        /// certificate (tests). The host name is still checked.
        case certificateFile(String)
        /// No checks at all: anyone between Convene and the relay could read the mail.
        /// Only ever when configured explicitly (`insecure=true`).
        case insecureNoVerification
    }

    /// The SASL mechanism for AUTH (RFC 4954).
    public enum AuthMethod: String, Hashable, Sendable {
        /// PLAIN if the server offers it, else LOGIN.
        case automatic = "auto"
        case plain
        case login
    }

    public struct Credentials: Hashable, Sendable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var trust: Trust
    public var credentials: Credentials?
    public var authMethod: AuthMethod
    /// The name given in EHLO: this machine's fully qualified name, which some relays check.
    public var heloName: String
    /// How long to wait for a connection.
    public var connectTimeout: Duration
    /// How long to wait for the server's reply to each command.
    public var commandTimeout: Duration
    /// How long to wait for the reply after the message's final dot, when the server may
    /// be scanning it (RFC 5321 §4.5.3.2 allows ten minutes; three is plenty for a relay).
    public var dataTimeout: Duration

    public init(host: String, port: Int, security: Security = .startTLSRequired, trust: Trust = .systemRoots,
                credentials: Credentials? = nil, authMethod: AuthMethod = .automatic,
                heloName: String = ProcessInfo.processInfo.hostName, connectTimeout: Duration = .seconds(10),
                commandTimeout: Duration = .seconds(60), dataTimeout: Duration = .seconds(180)) {
        self.host = host
        self.port = port
        self.security = security
        self.trust = trust
        self.credentials = credentials
        self.authMethod = authMethod
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.dataTimeout = dataTimeout
    }
}
