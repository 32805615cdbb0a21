/// Why a message was not delivered, and whether trying again later may help.
///
/// Every transport throws only this, so the delivery worker needs one rule: retry a
/// `temporary` failure with back-off, and mark a `permanent` one failed for a person to
/// look at (a refused address, a wrong password, a template that does not exist).
public struct DeliveryError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Disposition: String, Hashable, Sendable {
        /// The server or the network may accept the same message later: a 4xx reply, a
        /// dropped connection, a time-out, a server that is down, a rate limit.
        case temporary
        /// Sending the same message again will fail the same way: a 5xx reply, a refused
        /// recipient, a rejected password, bad configuration, a message that cannot be sent.
        case permanent
    }

    /// What went wrong, for the worker's records and for tests.
    public enum Cause: Hashable, Sendable {
        /// The server's reply: an SMTP reply code or an HTTP status.
        case rejected(code: Int)
        /// The server refused this recipient's address.
        case recipientRefused(code: Int)
        /// The server refused our credentials.
        case authentication
        /// No connection could be made (refused, unreachable, no such host).
        case unreachable
        /// The connection closed or broke before the server answered.
        case connectionLost
        /// The server did not answer in time.
        case timeout
        /// TLS could not be set up or the server's certificate was not trusted.
        case tls
        /// Convene's own configuration cannot work (a missing template, STARTTLS required
        /// but not offered, a password over an unencrypted connection).
        case configuration
        /// The message itself cannot be sent as it is (an invalid address or header).
        case invalidMessage
    }

    public let disposition: Disposition
    public let cause: Cause
    /// What happened and what a person can do about it.
    public let message: String

    public init(_ disposition: Disposition, _ cause: Cause, _ message: String) {
        self.disposition = disposition
        self.cause = cause
        self.message = message
    }

    public static func temporary(_ cause: Cause, _ message: String) -> DeliveryError {
        DeliveryError(.temporary, cause, message)
    }

    public static func permanent(_ cause: Cause, _ message: String) -> DeliveryError {
        DeliveryError(.permanent, cause, message)
    }

    public var isTemporary: Bool { disposition == .temporary }

    public var description: String { "\(disposition.rawValue) delivery failure: \(message)" }
}
