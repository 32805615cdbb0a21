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
        let ipKey = "ip:" + req.clientIP
        var checks = FieldChecks()
        if email.isEmpty { checks.fail("email", "Enter your email address") }
        if input.password.isEmpty { checks.fail("password", "Enter your password") }
        checks.text(input.name ?? "API", "name", "Name the token", max: 100)
        try checks.finish()

        if try await LoginThrottling.isBlocked(ipKey, now: now, db: req.db) {
            try await req.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: email)], by: req.actor, now: now)
            throw Abort(.tooManyRequests, reason: "Too many failed attempts from your network. Wait 15 minutes and try again.")
        }
        let person = try await Person.query(on: req.db).filter(\.$email == email).first()
        guard let person else {
            try await recordFailure(req, person: nil, email: email, reason: "unknown email", countAgainstAccount: false)
            throw Abort(.unauthorized, reason: failure)
        }
        if let reason = passwordFailure(person, input.password, now: now) {
            try await recordFailure(req, person: person, email: email, reason: reason, countAgainstAccount: reason == "wrong password")
            throw Abort(.unauthorized, reason: failure)
        }
        if person.totpEnabled || person.role.requiresSecondFactor {
            try await checkSecondFactor(req, person, email: email, code: input.code)
        }

        let token = Tokens.random()
        let expiresAt = now.addingTimeInterval(AccountController.tokenLifetime)
        let name = (input.name ?? "API").trimmed
        try await req.db.audited(by: person.actorForAudit(ip: req.clientIP), now: now) { db in
            person.failedLogins = 0
            person.lockedUntil = nil
            try await person.save(on: db)
            let row = APIToken(personID: try person.requireID(), tokenHash: Tokens.sha256(token), name: name, expiresAt: expiresAt)
            try await row.create(on: db)
            return ((), [AuditRecord("login", "person", id: person.id, detail: "api token"),
                         AuditRecord("token-create", "api-token", id: row.id, detail: name)])
        }
        return (token, expiresAt)
    }

    /// Why the password step fails, or nil when it passes.
    static func passwordFailure(_ person: Person, _ password: String, now: Date) -> String? {
        if person.disabledAt != nil { return "account disabled" }
        if let locked = person.lockedUntil, locked > now { return "account locked" }
        if let hash = person.passwordHash, Passwords.verify(password, against: hash) { return nil }
        return "wrong password"
    }

    static func checkSecondFactor(_ req: Request, _ person: Person, email: String, code: String?) async throws {
        guard person.totpEnabled, let secret = person.totpSecret else {
            try await req.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "no security code set up",
                                                detail: "api token")], by: person.actorForAudit(ip: req.clientIP), now: req.now)
            throw Abort(.forbidden, reason: "Your account needs a security code. Sign in on the website once to set it up.")
        }
        guard let code, !code.isBlank else {
            try await req.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "security code missing",
                                                detail: "api token")], by: person.actorForAudit(ip: req.clientIP), now: req.now)
            throw ValidationFailure(InputError(field: "code", "Enter the 6-digit code from your authenticator app"))
        }
        guard TOTP.verify(code, secret: secret, at: req.now) else {
            try await recordFailure(req, person: person, email: email, reason: "wrong security code", countAgainstAccount: true)
            throw Abort(.unauthorized, reason: failure)
        }
    }

    /// One failed attempt: counted against the address and, for a wrong password or code, the
    /// account (locked for 15 minutes after 5), and audited.
    static func recordFailure(_ req: Request, person: Person?, email: String, reason: String, countAgainstAccount: Bool)
        async throws
    {
        let now = req.now
        let actor = Actor(id: person?.id, name: person?.name ?? email, organisationID: person?.$organisation.id, ip: req.clientIP)
        try await req.db.audited(by: actor, now: now) { db in
            if let person, countAgainstAccount {
                person.failedLogins += 1
                if person.failedLogins >= LoginThrottling.maxPerAccount {
                    person.lockedUntil = now.addingTimeInterval(LoginThrottling.lockout)
                    person.failedLogins = 0
                }
                try await person.save(on: db)
            }
            try await LoginThrottling.recordFailure("ip:" + req.clientIP, now: now, db: db)
            return ((), [AuditRecord("login-failed", "person", id: person?.id, reason: reason, detail: email)])
        }
    }
}
