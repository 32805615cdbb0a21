/// How a session was opened (issue 15): only a password sign-in must change a temporary password.
public enum SignInMethod: String, Sendable {
    /// A Convene password, with the second factor where needed.
    case password
    /// The authority's own directory (OpenID Connect).
    case oidc
    /// An invitee's personal link.
    case link
}
