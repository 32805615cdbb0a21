import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// A person's own account (issue 5; ASVS-5.0-6.2, 6.3.3, 7.4): password, security code (TOTP)
/// and personal API tokens.
extension Operations {
    /// The account holder: anyone signed in but through an invitee's personal link.
    public static func accountHolder(_ ctx: LifecycleContext) throws -> CurrentUser {
        let user = try ctx.requireUser()
        guard user.isStaff else { throw LifecycleError.notAllowed("Personal invitation links have no account to manage.") }
        return user
    }

    public struct Account: Sendable {
        public let person: Person
        public let tokens: [APIToken]
        public let sessions: [UserSession]
        /// The directory the person is linked to, by its button name (issue 15); empty if none.
        public let directory: String
    }

    /// The account as its page shows it; a person without a security code gets a new secret
    /// to enrol with (kept until they turn the code on).
    public static func account(_ ctx: LifecycleContext) async throws -> Account {
        let user = try accountHolder(ctx)
        guard let person = try await Person.find(user.id, on: ctx.db) else { throw LifecycleError.notSignedIn() }
        if !person.totpEnabled && person.totpSecret == nil {
            person.totpSecret = TOTP.newSecret()
            try await person.save(on: ctx.db)
        }
        let now = ctx.now
        let tokens = try await APIToken.query(on: ctx.db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$createdAt, .descending).all()
        let sessions = try await UserSession.query(on: ctx.db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$lastSeenAt, .descending).limit(20).all()
        var directory = ""
        if person.oidcSubject != nil, let provider = try await OIDCProvider.query(on: ctx.db)
            .filter(\.$organisationID == person.$organisation.id).filter(\.$issuer == (person.oidcIssuer ?? "")).first() {
            directory = provider.displayName
        }
        return Account(person: person, tokens: tokens, sessions: sessions, directory: directory)
    }

    /// A new password (PasswordPolicy), given with the current one. The person's other
    /// sessions and every API token end; the session in use continues (ASVS-5.0-7.4.2).
    public static func changePassword(_ ctx: LifecycleContext, current: String, new: String, confirm: String) async throws {
        let user = try accountHolder(ctx)
        guard let person = try await Person.find(user.id, on: ctx.db) else { throw LifecycleError.notSignedIn() }
        var checks = FieldChecks()
        if person.passwordHash.map({ !ctx.passwords.verify(current, $0) }) ?? true {
            checks.fail("current", "Your current password is not correct")
        }
        for problem in PasswordPolicy.problems(with: new, email: person.email, name: person.name) {
            checks.fail("new", problem)
        }
        if new != confirm { checks.fail("confirm", "The passwords do not match") }
        try checks.finish()
        let hash = try ctx.passwords.hash(new)
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            person.passwordHash = hash
            person.mustChangePassword = false
            try await person.save(on: db)
            try await UserSession.query(on: db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
                .filter(\.$id != (user.sessionID ?? UUID())).set(\.$revokedAt, to: now).update()
            try await Credentials.revokeTokens(personID: user.id, now: now, db: db)
            return ((), [AuditRecord("password-change", "person", id: user.id)])
        }
    }

    /// Turns the security code on (with a code from the app) or off (never for administrators,
    /// NHS DSPT privileged accounts). A code is accepted once only.
    public static func setSecurityCode(_ ctx: LifecycleContext, enabled: Bool, code: String) async throws {
        let user = try accountHolder(ctx)
        guard let person = try await Person.find(user.id, on: ctx.db) else { throw LifecycleError.notSignedIn() }
        if !enabled && person.role.requiresSecondFactor {
            throw LifecycleError.notAllowed("Administrators must keep a security code.")
        }
        guard let secret = person.totpSecret,
              let step = TOTP.acceptedStep(code, secret: secret, at: ctx.now, after: person.totpLastStep) else {
            throw ValidationFailure(InputError(field: "code", "Enter the current 6-digit code from your authenticator app"))
        }
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            person.totpEnabled = enabled
            person.totpLastStep = step
            if !enabled { person.totpSecret = nil }
            try await person.save(on: db)
            return ((), [AuditRecord(enabled ? "totp-enable" : "totp-disable", "person", id: user.id)])
        }
    }

    /// A personal API token, lasting 12 hours: returned once, only its hash is kept.
    public static func createToken(_ ctx: LifecycleContext, name: String) async throws -> String {
        let user = try accountHolder(ctx)
        var checks = FieldChecks()
        checks.text(name, "name", "Name the token", max: 100)
        try checks.finish()
        let token = Tokens.random()
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            let row = APIToken(personID: user.id, tokenHash: Tokens.sha256(token), name: name.trimmed,
                               expiresAt: now.addingTimeInterval(Credentials.tokenLifetime))
            try await row.create(on: db)
            return ((), [AuditRecord("token-create", "api-token", id: row.id, detail: row.name)])
        }
        return token
    }

    /// Revokes one of the person's own tokens.
    public static func revokeToken(_ ctx: LifecycleContext, tokenID id: UUID) async throws {
        let user = try accountHolder(ctx)
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            guard let token = try await APIToken.find(id, on: db), token.$person.id == user.id else { throw LifecycleError.notFound() }
            token.revokedAt = now
            try await token.save(on: db)
            return ((), [AuditRecord("token-revoke", "api-token", id: id)])
        }
    }

    /// Revokes the token a call was made with (the API's `DELETE /tokens/current`).
    public static func revokeToken(_ ctx: LifecycleContext, token: String) async throws {
        _ = try ctx.requireUser()
        let hash = Tokens.sha256(token)
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            guard let token = try await APIToken.query(on: db).filter(\.$tokenHash == hash).first() else {
                throw LifecycleError.notSignedIn()
            }
            token.revokedAt = now
            try await token.save(on: db)
            return ((), [AuditRecord("token-revoke", "api-token", id: token.id)])
        }
    }
}
