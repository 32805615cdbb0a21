import Foundation

/// Why a sign-in through an authority's directory was refused (issue 15). `reason` goes to the
/// audit trail (never a token or a secret); `kind` decides what the person is told, which is
/// always generic about tokens and never says whether some other email has an account.
public struct OIDCRefusal: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The `state` is unknown, used, too old or not this browser's: start again.
        case startAgain
        /// The directory itself said no (the person cancelled, or it refused the request).
        case directoryRefused
        /// The directory could not be reached, or its answers could not be read.
        case unreachable
        /// The ID token failed a check: signature, issuer, audience, time, nonce.
        case notVerified
        /// No `email_verified` from the directory, so the email cannot find the account.
        case emailUnverified
        /// No account matches and the authority does not create people at first sign-in (or not
        /// for this email domain).
        case notAllowed
        /// The account matches but an administrator disabled it.
        case disabled
        /// The account is linked to another identity in the directory.
        case linkedElsewhere
        /// Too many failures from this address.
        case throttled
    }

    public let kind: Kind
    public let reason: String
    /// The email the directory gave, once its token verified (for the audit entry).
    public var email: String = ""
    /// The person it concerns, once known.
    public var personID: UUID?

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
