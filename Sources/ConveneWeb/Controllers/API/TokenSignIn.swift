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

    static let failure = SignInController.genericFailure

    /// Returns the new token (shown once; only its hash is kept) and its expiry.
    static func signIn(_ req: Request, _ input: Credentials) async throws -> (token: String, expiresAt: Date) {
        let email = input.email.trimmed.lowercased()
        let now = req.now
        var checks = FieldChecks()
        if email.isEmpty { checks.fail("email", "Enter your email address") }
        if input.password.isEmpty { checks.fail("password", "Enter your password") }
        checks.text(input.name ?? "API", "name", "Name the token", max: 100)
        try checks.finish()

        let candidates = try await SignInAttempts.candidates(email: email, req)
        if try await SignInAttempts.isThrottled(req, candidates: candidates) {
            try await req.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: email)], by: req.actor, now: now)
            throw Abort(.tooManyRequests, reason: SignInAttempts.throttledMessage)
        }
        let check = SignInAttempts.checkPassword(candidates, password: input.password, req)
        guard let user = check.person else {
            let reason = check.failure ?? "wrong password"
            try await SignInAttempts.recordFailure(req, people: check.candidates, email: email, reason: reason,
                                                   countAgainstAccount: reason == "wrong password", detail: "api token")
            throw Abort(.unauthorized, reason: failure)
        }
        if let directory = try await StaffPasswords.directoryRequired(for: user, db: req.db) {
            try await req.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "password sign-in is turned off for staff",
                                                detail: "api token")], by: user.actorForAudit(ip: req.clientIP), now: now)
            throw Abort(.forbidden, reason: "Your authority signs its staff in with \(directory.displayName): sign in there, then create a token on your account page.")
        }
        let step: Int64? = user.totpEnabled || user.role.requiresSecondFactor
            ? try await checkSecondFactor(req, user, email: email, code: input.code) : nil
        if user.mustChangePassword {
            try await req.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "temporary password not yet changed",
                                                detail: "api token")], by: user.actorForAudit(ip: req.clientIP), now: now)
            throw Abort(.forbidden, reason: "Change your temporary password on the website before asking for a token.")
        }

        let token = Tokens.random()
        let expiresAt = now.addingTimeInterval(AccountController.tokenLifetime)
        let name = (input.name ?? "API").trimmed
        try await req.db.audited(by: user.actorForAudit(ip: req.clientIP), now: now) { db in
            SignInAttempts.succeeded(user, codeStep: step)
            try await user.save(on: db)
            let row = APIToken(personID: try user.requireID(), tokenHash: Tokens.sha256(token), name: name, expiresAt: expiresAt)
            try await row.create(on: db)
            return ((), [AuditRecord("login", "person", id: user.id, detail: "api token"),
                         AuditRecord("token-create", "api-token", id: row.id, detail: name)])
        }
        return (token, expiresAt)
    }

    /// The step of a valid, unused code; a wrong or reused code counts against the account and
    /// the address (the password step does not reset that count).
    static func checkSecondFactor(_ req: Request, _ person: Person, email: String, code: String?) async throws -> Int64 {
        guard person.totpEnabled, person.totpSecret != nil else {
            try await req.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "no security code set up",
                                                detail: "api token")], by: person.actorForAudit(ip: req.clientIP), now: req.now)
            throw Abort(.forbidden, reason: "Your account needs a security code. Sign in on the website once to set it up.")
        }
        guard let code, !code.isBlank else {
            try await req.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "security code missing",
                                                detail: "api token")], by: person.actorForAudit(ip: req.clientIP), now: req.now)
            throw ValidationFailure(InputError(field: "code", "Enter the 6-digit code from your authenticator app"))
        }
        guard let step = SignInAttempts.acceptedCode(code, for: person, now: req.now) else {
            try await SignInAttempts.recordFailure(req, people: [person], email: email, reason: "wrong security code",
                                                   countAgainstAccount: true, detail: "api token")
            throw Abort(.unauthorized, reason: failure)
        }
        return step
    }
}
