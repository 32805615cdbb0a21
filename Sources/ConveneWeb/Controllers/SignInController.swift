import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Signing in and out (issue 5): password, then a second factor where the person has one
/// (always for administrators), with lock-out after repeated failures and every attempt
/// audited (ASVS-5.0-16.3.1).
enum SignInController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: submit)
        routes.get("sign-in", "second-factor", use: showSecondFactor)
        routes.post("sign-in", "second-factor", use: submitSecondFactor)
        routes.post("sign-out", use: signOut)
        routes.post("sign-out-everywhere", use: signOutEverywhere)
    }

    struct Page: Encodable {
        let email: FieldContext
        let password: FieldContext
        let next: String
        let signedOut: Bool
        let demo: Bool
        /// "Sign in with …" for each authority whose directory signs its staff in (issue 15).
        /// Listed rather than found from a typed email: an email would say which authority knows
        /// it, and a partner agency's officer may have an account with several.
        let directories: [DirectoryButton]
        let hasDirectories: Bool
    }

    struct DirectoryButton: Encodable {
        let action: String
        let label: String
    }

    /// The enabled directories, by authority name.
    static func directories(_ req: Request) async throws -> [DirectoryButton] {
        let providers = try await OIDCProvider.query(on: req.db).filter(\.$enabled == true).all()
        guard !providers.isEmpty else { return [] }
        let names = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: req.db)
            .filter(\.$id ~~ providers.map(\.organisationID)).all().compactMap { org in org.id.map { ($0, org.name) } })
        return providers.compactMap { provider in
            guard let id = provider.id else { return nil }
            let label = provider.displayName.isEmpty ? "\(names[provider.organisationID] ?? "your authority's") account" : provider.displayName
            return DirectoryButton(action: SiteURL.oidcStart(id).path, label: label)
        }.sorted { $0.label < $1.label }
    }

    static let genericFailure = "Enter a correct email address and password. After 5 failed attempts an account is locked for 15 minutes."

    @Sendable static func show(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.myWork.path) }
        return try await render(req, email: "", errors: [], signedOut: req.query[String.self, at: "signed-out"] != nil)
    }

    static func render(_ req: Request, email: String, errors: [InputError], signedOut: Bool = false,
                       status: HTTPResponseStatus? = nil) async throws -> Response {
        var state = FormState(values: ["email": email], errors: errors)
        state.values["password"] = ""
        let buttons = try await directories(req)
        let page = Page(email: state.field("email", "Email address").with(type: "email", width: "30", autocomplete: "username"),
                        password: state.field("password", "Password").with(type: "password", width: "30",
                                                                               autocomplete: "current-password"),
                        next: safeNext(req.query[String.self, at: "next"]), signedOut: signedOut,
                        demo: req.convene.options.demo, directories: buttons, hasDirectories: !buttons.isEmpty)
        return try await req.page("sign-in", title: "Sign in", page, errors: errors,
                                  notification: signedOut ? .success("You have signed out") : nil, status: status)
    }

    /// Only a local path may follow sign-in (no open redirect): one slash then a path of
    /// printable characters; no `//`, backslash, tab, newline or other control character, which
    /// browsers strip or turn into a slash (`/%09/evil.example` would leave the site).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), next.count <= 2000 else { return "" }
        let decoded = next.removingPercentEncoding ?? next
        for text in [next, decoded] {
            if text.hasPrefix("//") || text.contains("\\") || text.unicodeScalars.contains(where: {
                CharacterSet.controlCharacters.contains($0) || CharacterSet.whitespacesAndNewlines.contains($0)
            }) { return "" }
        }
        return next
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let form = try FormData(req)
        let email = form["email"].trimmed.lowercased()
        let password = form["password"]
        let now = req.now
        var v = FieldChecks()
        if email.isEmpty { v.fail("email", "Enter your email address") }
        if password.isEmpty { v.fail("password", "Enter your password") }
        if !v.isValid { return try await render(req, email: email, errors: v.errors) }

        let candidates = try await SignInAttempts.candidates(email: email, req)
        if try await SignInAttempts.isThrottled(req, candidates: candidates) {
            try await req.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: email)], by: req.actor, now: now)
            return try await render(req, email: email, errors: [InputError(field: "email", SignInAttempts.throttledMessage)],
                                    status: .tooManyRequests)
        }
        let check = SignInAttempts.checkPassword(candidates, password: password, req)
        guard let user = check.person else {
            let failure = check.failure ?? "wrong password"
            try await SignInAttempts.recordFailure(req, people: check.candidates, email: email, reason: failure,
                                                   countAgainstAccount: failure == "wrong password")
            return try await render(req, email: email, errors: [InputError(field: "email", genericFailure)])
        }
        if let directory = try await StaffPasswords.directoryRequired(for: user, db: req.db) {
            // The password was right, so saying why tells nothing to someone without it.
            try await req.db.audit([AuditRecord("login-failed", "person", id: user.id, reason: "password sign-in is turned off for staff",
                                                detail: email)], by: user.actorForAudit(ip: req.clientIP), now: now)
            return try await render(req, email: email, errors: [InputError(field: "directory", StaffPasswords.message(directory))],
                                    status: .forbidden)
        }

        let needsSecondFactor = user.totpEnabled || user.role.requiresSecondFactor
        let next = safeNext(form["next"])
        let response = req.redirect(to: needsSecondFactor ? SiteURL.secondFactor.path
            : (user.mustChangePassword ? SiteURL.account.path : (next.isEmpty ? SiteURL.myWork.path : next)))
        try await req.db.audited(by: user.actorForAudit(ip: req.clientIP), now: now) { db in
            if !needsSecondFactor {
                // Signed in completely: only now are earlier failures forgotten.
                SignInAttempts.succeeded(user, codeStep: nil)
                try await user.save(on: db)
            }
            _ = try await Sessions.open(for: user, pending: needsSecondFactor, on: response, req, db: db)
            return ((), [AuditRecord(needsSecondFactor ? "login-password" : "login", "person", id: user.id)])
        }
        if !needsSecondFactor { KnownDevice.set(for: try user.requireID(), on: response, req) }
        return response
    }

    struct SecondFactorPage: Encodable {
        let code: FieldContext
        let enrol: Bool
        let secret: String
        let uri: String
    }

    @Sendable static func showSecondFactor(req: Request) async throws -> Response {
        guard let session = req.storage[PendingSessionKey.self] else { return req.redirect(to: SiteURL.signIn.path) }
        let person = try await session.$person.get(on: req.db)
        return try await renderSecondFactor(req, person: person, errors: [])
    }

    static func renderSecondFactor(_ req: Request, person: Person, errors: [InputError]) async throws -> Response {
        if !person.totpEnabled && person.totpSecret == nil {
            person.totpSecret = TOTP.newSecret()
            try await person.save(on: req.db)
        }
        let secret = person.totpSecret ?? ""
        let page = SecondFactorPage(
            code: FormState(errors: errors).field("code", "Security code", hint: "The 6-digit code from your authenticator app")
                .with(width: "10", autocomplete: "one-time-code"),
            enrol: !person.totpEnabled, secret: secret, uri: TOTP.uri(secret: secret, account: person.email))
        return try await req.page("second-factor", title: "Enter your security code", page, errors: errors)
    }

    @Sendable static func submitSecondFactor(req: Request) async throws -> Response {
        guard let pending = req.storage[PendingSessionKey.self] else { return req.redirect(to: SiteURL.signIn.path) }
        let person = try await pending.$person.get(on: req.db)
        let form = try FormData(req)
        let now = req.now
        // The account may have been locked by failures elsewhere since the password step.
        if person.disabledAt != nil || (person.lockedUntil ?? .distantPast) > now {
            return try await endPending(req, pending, person: person, reason: "account locked")
        }
        if try await SignInAttempts.isThrottled(req, candidates: [person]) {
            try await req.db.audit([AuditRecord("login-throttled", "session", reason: "too many failures from this address",
                                                detail: person.email)], by: req.actor, now: now)
            return try await endPending(req, pending, person: person, reason: nil, status: .tooManyRequests)
        }
        guard let step = SignInAttempts.acceptedCode(form["code"], for: person, now: now) else {
            // Counted against the account and the address, whatever the password step did.
            let locked = try await SignInAttempts.recordFailure(req, people: [person], email: person.email,
                                                                reason: "wrong security code", countAgainstAccount: true)
            if locked { return try await endPending(req, pending, person: person, reason: nil) }
            return try await renderSecondFactor(req, person: person, errors: [InputError(field: "code",
                "Enter the current 6-digit code from your authenticator app. A code works once only.")])
        }
        let response = req.redirect(to: person.mustChangePassword ? SiteURL.account.path : SiteURL.myWork.path)
        try await req.db.audited(by: person.actorForAudit(ip: req.clientIP), now: now) { db in
            let enrolled = !person.totpEnabled
            SignInAttempts.succeeded(person, codeStep: step)
            try await person.save(on: db)
            // A new token once fully signed in; the half-signed-in one ends.
            let method = SignInMethod(rawValue: pending.method) ?? .password
            _ = try await Sessions.open(for: person, pending: false, method: method, on: response, req, db: db)
            let detail = [method == .oidc ? "directory and second factor" : "", enrolled ? "second factor enrolled" : ""]
                .filter { !$0.isEmpty }.joined(separator: "; ")
            return ((), [AuditRecord("login", "person", id: person.id, detail: detail)])
        }
        KnownDevice.set(for: try person.requireID(), on: response, req)
        return response
    }

    /// Ends a half-signed-in session and shows the sign-in page again.
    static func endPending(_ req: Request, _ pending: UserSession, person: Person, reason: String?,
                           status: HTTPResponseStatus? = nil) async throws -> Response {
        try await req.db.audited(by: person.actorForAudit(ip: req.clientIP), now: req.now) { db in
            pending.revokedAt = req.now
            try await pending.save(on: db)
            return ((), reason.map { [AuditRecord("login-failed", "person", id: person.id, reason: $0)] } ?? [])
        }
        let message = status == .tooManyRequests ? SignInAttempts.throttledMessage : genericFailure
        let response = try await render(req, email: person.email, errors: [InputError(field: "email", message)], status: status)
        SessionCookie.clear(on: response)
        return response
    }

    @Sendable static func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.signIn.path + "?signed-out=1")
        if let token = SessionCookie.token(req) {
            try await req.db.audited(by: req.actor, now: req.now) { db in
                try await UserSession.query(on: db).filter(\.$tokenHash == Tokens.sha256(token)).set(\.$revokedAt, to: req.now)
                    .update()
                return ((), [AuditRecord("logout", "session", id: req.currentUser?.sessionID)])
            }
        }
        SessionCookie.clear(on: response)
        return response
    }

    @Sendable static func signOutEverywhere(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await req.db.audited(by: req.actor, now: req.now) { db in
            // Every session and every API token (issue 9).
            try await Sessions.revokeAll(personID: user.id, now: req.now, db: db)
            return ((), [AuditRecord("logout-everywhere", "person", id: user.id)])
        }
        let response = req.redirect(to: SiteURL.signIn.path + "?signed-out=1")
        SessionCookie.clear(on: response)
        return response
    }
}

extension Person {
    func actorForAudit(ip: String) -> Actor {
        Actor(id: id, name: name, organisationID: $organisation.id, ip: ip)
    }
}
