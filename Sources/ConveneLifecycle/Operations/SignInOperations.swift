import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Signing in and out (issue 5), under `SignInAttempts`' rules: the password, then a security
/// code where the person has one (always for administrators). The web layer opens the session
/// (its cookie) inside the same transaction through `openSession`, and says whether this
/// browser signed in to an account before (`knownDevice`).
extension Operations {
    public typealias DeviceCheck = @Sendable (UUID) -> Bool

    public enum PasswordStep: Sendable {
        /// A field is missing: nothing was checked.
        case incomplete([InputError])
        /// Too many failures from this address (429).
        case throttled
        /// A wrong address or password, or a locked or disabled account: one answer for all.
        case refused
        /// The password was right but the authority signs its staff in with its directory
        /// (issue 15): the message names it (403).
        case directoryRequired(String)
        /// The password was right; `secondFactorPending` when a security code must follow.
        case passed(Person, secondFactorPending: Bool)
    }

    /// The password step. `email` is compared trimmed and in lower case.
    public static func signIn(_ ctx: LifecycleContext, email: String, password: String, knownDevice: DeviceCheck,
                              openSession: @escaping @Sendable (Person, _ pending: Bool, any Database) async throws -> Void)
        async throws -> PasswordStep
    {
        let email = email.trimmed.lowercased()
        var checks = FieldChecks()
        if email.isEmpty { checks.fail("email", "Enter your email address") }
        if password.isEmpty { checks.fail("password", "Enter your password") }
        guard checks.isValid else { return .incomplete(checks.errors) }
        let candidates = try await SignInAttempts.candidates(email: email, ctx)
        if try await SignInAttempts.isThrottled(ctx, candidates: candidates, knownDevice: knownDevice) {
            try await ctx.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: email)], by: ctx.actor, now: ctx.now)
            return .throttled
        }
        let check = SignInAttempts.checkPassword(candidates, password: password, ctx)
        guard let user = check.person else {
            let failure = check.failure ?? "wrong password"
            try await SignInAttempts.recordFailure(ctx, people: check.candidates, email: email, reason: failure,
                                                   countAgainstAccount: failure == "wrong password")
            return .refused
        }
        if let directory = try await StaffPasswords.directoryRequired(for: user, db: ctx.db) {
            // The password was right, so saying why tells nothing to someone without it.
            try await ctx.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "password sign-in is turned off for staff",
                                                detail: email)], by: user.actorForAudit(ip: ctx.clientAddress), now: ctx.now)
            return .directoryRequired(StaffPasswords.message(directory))
        }
        let needsSecondFactor = user.totpEnabled || user.role.requiresSecondFactor
        try await ctx.db.audited(by: user.actorForAudit(ip: ctx.clientAddress), now: ctx.now) { db in
            if !needsSecondFactor {
                // Signed in completely: only now are earlier failures forgotten.
                SignInAttempts.succeeded(user, codeStep: nil)
                try await user.save(on: db)
            }
            try await openSession(user, needsSecondFactor, db)
            return ((), [AuditRecord(needsSecondFactor ? "login-password" : "login", "person", id: user.id)])
        }
        return .passed(user, secondFactorPending: needsSecondFactor)
    }

    /// The secret a person enrols their authenticator app with, made when they have none.
    public static func securityCodeSecret(_ ctx: LifecycleContext, for person: Person) async throws -> String {
        if !person.totpEnabled && person.totpSecret == nil {
            person.totpSecret = TOTP.newSecret()
            try await person.save(on: ctx.db)
        }
        return person.totpSecret ?? ""
    }

    public enum CodeStep: Sendable {
        /// The half-signed-in session was ended: the account is locked or disabled, or the
        /// code locked it, or (`throttled`) the address has failed too often.
        case ended(throttled: Bool)
        /// The code was wrong or used already; another may be tried.
        case wrongCode
        case passed(Person)
    }

    /// The security code after the password (`pending` is the half-signed-in session). A
    /// wrong code counts against the account and the address, whatever the password step did.
    public static func confirmSecurityCode(_ ctx: LifecycleContext, pending: UserSession, code: String, knownDevice: DeviceCheck,
                                           openSession: @escaping @Sendable (Person, SignInMethod, any Database) async throws -> Void)
        async throws -> CodeStep
    {
        let person = try await pending.$person.get(on: ctx.db)
        let now = ctx.now
        // The account may have been locked by failures elsewhere since the password step.
        if person.disabledAt != nil || person.isLocked(at: now) {
            try await end(pending, person: person, reason: "account locked", ctx)
            return .ended(throttled: false)
        }
        if try await SignInAttempts.isThrottled(ctx, candidates: [person], knownDevice: knownDevice) {
            try await ctx.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: person.email)], by: ctx.actor, now: now)
            try await end(pending, person: person, reason: nil, ctx)
            return .ended(throttled: true)
        }
        guard let step = SignInAttempts.acceptedCode(code, for: person, now: now) else {
            let locked = try await SignInAttempts.recordFailure(ctx, people: [person], email: person.email,
                                                                reason: "wrong security code", countAgainstAccount: true)
            if locked {
                try await end(pending, person: person, reason: nil, ctx)
                return .ended(throttled: false)
            }
            return .wrongCode
        }
        try await ctx.db.audited(by: person.actorForAudit(ip: ctx.clientAddress), now: now) { db in
            let enrolled = !person.totpEnabled
            SignInAttempts.succeeded(person, codeStep: step)
            try await person.save(on: db)
            // A new token once fully signed in, opened the same way; the half-signed-in one ends.
            let method = SignInMethod(rawValue: pending.method) ?? .password
            try await openSession(person, method, db)
            let detail = [method == .oidc ? "directory and second factor" : "", enrolled ? "second factor enrolled" : ""]
                .filter { !$0.isEmpty }.joined(separator: "; ")
            return ((), [AuditRecord("login", "person", id: person.id, detail: detail)])
        }
        return .passed(person)
    }

    /// Ends a half-signed-in session.
    static func end(_ pending: UserSession, person: Person, reason: String?, _ ctx: LifecycleContext) async throws {
        let now = ctx.now
        try await ctx.db.audited(by: person.actorForAudit(ip: ctx.clientAddress), now: now) { db in
            pending.revokedAt = now
            try await pending.save(on: db)
            return ((), reason.map { [AuditRecord("login-failed", "person", id: person.id, reason: $0)] } ?? [])
        }
    }

    /// Ends the session whose cookie carries `token`.
    public static func signOut(_ ctx: LifecycleContext, sessionToken token: String) async throws {
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            try await UserSession.query(on: db).filter(\.$tokenHash == Tokens.sha256(token)).set(\.$revokedAt, to: now).update()
            return ((), [AuditRecord("logout", "session", id: ctx.user?.sessionID)])
        }
    }

    /// Ends every session and every API token of the person acting (issue 9).
    public static func signOutEverywhere(_ ctx: LifecycleContext) async throws {
        let user = try ctx.requireUser()
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            try await Credentials.revokeAll(personID: user.id, now: now, db: db)
            return ((), [AuditRecord("logout-everywhere", "person", id: user.id)])
        }
    }

    /// Signing in for an API token, under the same rules as the sign-in page: the security
    /// code comes with the password, and a wrong one counts as a failure without the password
    /// step resetting the count. Returns the token (shown once; only its hash is kept).
    public static func signInForToken(_ ctx: LifecycleContext, email: String, password: String, code: String?, name: String?,
                                      knownDevice: DeviceCheck) async throws -> (token: String, expiresAt: Date) {
        let email = email.trimmed.lowercased()
        let now = ctx.now
        var checks = FieldChecks()
        if email.isEmpty { checks.fail("email", "Enter your email address") }
        if password.isEmpty { checks.fail("password", "Enter your password") }
        checks.text(name ?? "API", "name", "Name the token", max: 100)
        try checks.finish()
        let candidates = try await SignInAttempts.candidates(email: email, ctx)
        if try await SignInAttempts.isThrottled(ctx, candidates: candidates, knownDevice: knownDevice) {
            try await ctx.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: email)], by: ctx.actor, now: now)
            throw LifecycleError.tooManyAttempts(SignInAttempts.throttledMessage)
        }
        let check = SignInAttempts.checkPassword(candidates, password: password, ctx)
        guard let user = check.person else {
            let reason = check.failure ?? "wrong password"
            try await SignInAttempts.recordFailure(ctx, people: check.candidates, email: email, reason: reason,
                                                   countAgainstAccount: reason == "wrong password", detail: "api token")
            throw LifecycleError.notSignedIn(SignInAttempts.failureMessage)
        }
        let actor = user.actorForAudit(ip: ctx.clientAddress)
        if let directory = try await StaffPasswords.directoryRequired(for: user, db: ctx.db) {
            try await ctx.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "password sign-in is turned off for staff",
                                                detail: "api token")], by: actor, now: now)
            throw LifecycleError.notAllowed("Your authority signs its staff in with \(directory.displayName): sign in there, then create a token on your account page.")
        }
        let step: Int64? = user.totpEnabled || user.role.requiresSecondFactor
            ? try await tokenSecondFactor(ctx, user, email: email, code: code) : nil
        if user.mustChangePassword {
            try await ctx.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "temporary password not yet changed",
                                                detail: "api token")], by: actor, now: now)
            throw LifecycleError.notAllowed("Change your temporary password on the website before asking for a token.")
        }
        let token = Tokens.random()
        let expiresAt = now.addingTimeInterval(Credentials.tokenLifetime)
        let tokenName = (name ?? "API").trimmed
        try await ctx.db.audited(by: actor, now: now) { db in
            SignInAttempts.succeeded(user, codeStep: step)
            try await user.save(on: db)
            let row = APIToken(personID: try user.requireID(), tokenHash: Tokens.sha256(token), name: tokenName, expiresAt: expiresAt)
            try await row.create(on: db)
            return ((), [AuditRecord("login", "person", id: user.id, detail: "api token"),
                         AuditRecord("token-create", "api-token", id: row.id, detail: tokenName)])
        }
        return (token, expiresAt)
    }

    /// The step of a valid, unused code; a wrong or reused code counts against the account and
    /// the address.
    static func tokenSecondFactor(_ ctx: LifecycleContext, _ person: Person, email: String, code: String?) async throws -> Int64 {
        let actor = person.actorForAudit(ip: ctx.clientAddress)
        guard person.totpEnabled, person.totpSecret != nil else {
            try await ctx.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "no security code set up",
                                                detail: "api token")], by: actor, now: ctx.now)
            throw LifecycleError.notAllowed("Your account needs a security code. Sign in on the website once to set it up.")
        }
        guard let code, !code.isBlank else {
            try await ctx.db.audit([AuditRecord("login-failed", "person", id: person.id, reason: "security code missing",
                                                detail: "api token")], by: actor, now: ctx.now)
            throw ValidationFailure(InputError(field: "code", "Enter the 6-digit code from your authenticator app"))
        }
        guard let step = SignInAttempts.acceptedCode(code, for: person, now: ctx.now) else {
            try await SignInAttempts.recordFailure(ctx, people: [person], email: email, reason: "wrong security code",
                                                   countAgainstAccount: true, detail: "api token")
            throw LifecycleError.notSignedIn(SignInAttempts.failureMessage)
        }
        return step
    }
}

extension Operations {
    /// The authorities whose directory signs their staff in (issue 15), each with the name its
    /// button shows, by that name. Listed rather than found from a typed email: an email would
    /// say which authority knows it, and a partner agency's officer may have an account with several.
    public static func directories(_ ctx: LifecycleContext) async throws -> [(id: UUID, label: String)] {
        let providers = try await OIDCProvider.query(on: ctx.db).filter(\.$enabled == true).all()
        guard !providers.isEmpty else { return [] }
        let names = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: ctx.db)
            .filter(\.$id ~~ providers.map(\.organisationID)).all().compactMap { org in org.id.map { ($0, org.name) } })
        return providers.compactMap { provider in
            guard let id = provider.id else { return nil }
            let label = provider.displayName.isEmpty ? "\(names[provider.organisationID] ?? "your authority's") account" : provider.displayName
            return (id, label)
        }.sorted { $0.label < $1.label }
    }
}
