import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Signing in for an API token, under the same rules as the sign-in page (issue 5): every
/// attempt audited (ASVS-5.0-16.3.1), the address throttled and the account locked after
/// repeated failures (6.3.1, shared counters with the page), and the second factor required
/// of everyone who has one, always of administrators (6.3.3). The page asks for the code on a
/// second screen; here it comes with the password, and a wrong code counts as a failure
/// without the password step resetting the count.
enum TokenSignIn {
    struct Credentials: Sendable {
        var email: String
        var password: String
        var code: String?
        var name: String?
    }

    static let failure = SignInAttempts.failureMessage

    /// Returns the new token (shown once; only its hash is kept) and its expiry.
    static func signIn(_ req: Request, _ input: Credentials) async throws -> (token: String, expiresAt: Date) {
        try await Operations.signInForToken(req.lifecycle, email: input.email, password: input.password, code: input.code,
                                            name: input.name, knownDevice: { KnownDevice.matches(req, personID: $0) })
    }
}
