import ConveneCore

/// Why an operation refused, in the domain's terms. Pages and the API turn each into an HTTP
/// status in one place (`ErrorHandling`); the command line prints it. Field-level problems are
/// `ValidationFailure`, a step at the wrong stage `StageError`, a record altered outside
/// Convene `IntegrityError`.
public enum LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nobody is signed in, or the credentials given were not right (401).
    case notSignedIn(_ reason: String? = nil)
    /// Too many failed attempts from this address (429).
    case tooManyAttempts(String)
    /// No such thing, or not one this person may know exists (404).
    case notFound(_ reason: String? = nil)
    /// The person may see it but may not do this (403).
    case notAllowed(_ reason: String? = nil)
    /// The access policy refused, and the refusal is already in the audit trail
    /// (ASVS-5.0-16.3.2): 404 when the person may not even see the object (a guessed id
    /// reveals nothing, ASVS-5.0-8.2.2), 403 when they may see it.
    case refused(canSee: Bool, reason: String? = nil)
    /// It changed since it was read, or clashes with what is stored now (409); `field` names
    /// the input that clashed (a slot someone else booked a moment ago), if one did.
    case conflict(String, field: FieldPath? = nil)

    public var description: String {
        switch self {
        case let .notSignedIn(reason): reason ?? "Sign in to continue."
        case let .tooManyAttempts(message): message
        case let .notFound(reason): reason ?? "Not found."
        case let .notAllowed(reason): reason ?? "You may not do that."
        case let .refused(_, reason): reason ?? "You do not have permission to do that."
        case let .conflict(message, _): message
        }
    }
}
