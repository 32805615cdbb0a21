import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Your account: password, security code (TOTP), API tokens and signed-in sessions, with
/// "sign out everywhere" (issue 5; ASVS-5.0-6.2, 6.3.3, 7.4).
enum AccountController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", use: show)
        routes.post("account", "password", use: changePassword)
        routes.post("account", "totp", use: totp)
        routes.post("account", "tokens", use: createToken)
        routes.post("account", "tokens", ":token", "revoke", use: revokeToken)
    }

    struct TokenRow: Encodable {
        let name: String
        let created: String
        let expires: String
        let lastUsed: String
        let revokeAction: String
    }

    struct SessionRow: Encodable {
        let created: String
        let lastSeen: String
        let ip: String
        let browser: String
        let current: Bool
    }

    struct Page: Encodable {
        let name: String
        let email: String
        let role: String
        let agency: String
        let current: FieldContext
        let new: FieldContext
        let confirm: FieldContext
        let totpEnabled: Bool
        let totpRequired: Bool
        let totpSecret: String
        let totpURI: String
        let code: FieldContext
        let tokens: [TokenRow]
        let noTokens: Bool
        let tokenName: FieldContext
        let newToken: String
        let sessions: [SessionRow]
        /// An invitee's personal link: no account to manage.
        let external: Bool
        /// Signs in with a Convene password (else only through the authority's directory).
        let hasPassword: Bool
        /// Convene's own security code: for password accounts, and administrators always.
        let showSecurityCode: Bool
        /// The directory the person is linked to, by its button name (issue 15).
        let directory: String
    }

    static func user(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.invitationScope == nil else { throw Abort(.forbidden, reason: "Personal invitation links have no account to manage.") }
        return user
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let temporary = try user(req).mustChangePassword
        return try await render(req, state: FormState(), notification: temporary
            ? .important("Choose your own password", "You signed in with a temporary password. Change it before you go on.") : nil)
    }

    static func render(_ req: Request, state: FormState, errors: [InputError] = [], newToken: String = "",
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let user = try user(req)
        guard let person = try await Person.find(user.id, on: req.db) else { throw Abort(.unauthorized) }
        if !person.totpEnabled && person.totpSecret == nil {
            person.totpSecret = TOTP.newSecret()
            try await person.save(on: req.db)
        }
        let now = req.now
        let tokens = try await APIToken.query(on: req.db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$createdAt, .descending).all()
        let sessions = try await UserSession.query(on: req.db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$lastSeenAt, .descending).limit(20).all()
        var directory = ""
        if person.oidcSubject != nil, let provider = try await OIDCProvider.query(on: req.db)
            .filter(\.$organisationID == person.$organisation.id).filter(\.$issuer == (person.oidcIssuer ?? "")).first() {
            directory = provider.displayName
        }
        let page = Page(
            name: person.name, email: person.email, role: person.role.label, agency: req.convene.packs.packs.first?.agencyName(person.agency) ?? person.agency,
            current: state.field("current", "Current password").with(type: "password", width: "20", autocomplete: "current-password"),
            new: state.field("new", "New password", hint: "At least \(Passwords.minimumLength) characters. A few random words make a good one.")
                .with(type: "password", width: "30", autocomplete: "new-password"),
            confirm: state.field("confirm", "Confirm the new password").with(type: "password", width: "30", autocomplete: "new-password"),
            totpEnabled: person.totpEnabled, totpRequired: person.role.requiresSecondFactor,
            totpSecret: person.totpEnabled ? "" : (person.totpSecret ?? ""),
            totpURI: person.totpEnabled ? "" : TOTP.uri(secret: person.totpSecret ?? "", account: person.email),
            code: state.field("code", "Security code", hint: "The 6-digit code from your authenticator app").with(width: "10", autocomplete: "one-time-code"),
            tokens: tokens.map {
                TokenRow(name: $0.name, created: $0.createdAt.map { UKDisplay.compact($0) } ?? "", expires: UKDisplay.compact($0.expiresAt),
                         lastUsed: $0.lastUsedAt.map { UKDisplay.compact($0) } ?? "Never",
                         revokeAction: SiteURL.accountPart(.tokens).path + "/\($0.id!.slug)/revoke")
            },
            noTokens: tokens.isEmpty,
            tokenName: state.field("name", "Name the token", hint: "For example, the system that will use it").with(width: "20"),
            newToken: newToken,
            sessions: sessions.map {
                SessionRow(created: UKDisplay.compact($0.createdAt), lastSeen: UKDisplay.compact($0.lastSeenAt), ip: $0.ip,
                           browser: String($0.userAgent.prefix(60)), current: $0.id == user.sessionID)
            },
            external: person.passwordHash == nil && person.oidcSubject == nil,
            hasPassword: person.passwordHash != nil,
            showSecurityCode: person.passwordHash != nil || person.role.requiresSecondFactor,
            directory: directory)
        return try await req.page("account", title: "Your account", page, errors: errors, notification: notification)
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        let user = try user(req)
        let form = try FormData(req)
        guard let person = try await Person.find(user.id, on: req.db) else { throw Abort(.unauthorized) }
        var checks = FieldChecks()
        if person.passwordHash.map({ !Passwords.verify(form["current"], against: $0) }) ?? true {
            checks.fail("current", "Your current password is not correct")
        }
        for problem in Passwords.problems(with: form["new"], email: person.email, name: person.name) {
            checks.fail("new", problem)
        }
        if form["new"] != form["confirm"] { checks.fail("confirm", "The passwords do not match") }
        guard checks.isValid else {
            return try await render(req, state: FormState(), errors: RequestController.dedupe(checks.errors))
        }
        let hash = try Passwords.hash(form["new"], cost: req.convene.options.passwordCost)
        let now = req.now
        try await req.db.audited(by: req.actor, now: now) { db in
            person.passwordHash = hash
            person.mustChangePassword = false
            try await person.save(on: db)
            // Other sessions and every API token end; this session continues.
            try await UserSession.query(on: db).filter(\.$person.$id == user.id).filter(\.$revokedAt == nil)
                .filter(\.$id != (user.sessionID ?? UUID())).set(\.$revokedAt, to: now).update()
            try await Sessions.revokeTokens(personID: user.id, now: now, db: db)
            return ((), [AuditRecord("password-change", "person", id: user.id)])
        }
        return try await render(req, state: FormState(), notification: .success("Password changed",
            "Your other sessions have been signed out and your API tokens revoked."))
    }

    /// Turns the security code on (with a code from the app) or off (never for administrators).
    @Sendable static func totp(req: Request) async throws -> Response {
        let user = try user(req)
        let form = try FormData(req)
        guard let person = try await Person.find(user.id, on: req.db) else { throw Abort(.unauthorized) }
        let turnOff = form["action"] == "disable"
        if turnOff && person.role.requiresSecondFactor {
            throw Abort(.forbidden, reason: "Administrators must keep a security code.")
        }
        guard let step = SignInAttempts.acceptedCode(form["code"], for: person, now: req.now) else {
            return try await render(req, state: FormState(), errors: [InputError(field: "code", "Enter the current 6-digit code from your authenticator app")])
        }
        try await req.db.audited(by: req.actor, now: req.now) { db in
            person.totpEnabled = !turnOff
            person.totpLastStep = step
            if turnOff { person.totpSecret = nil }
            try await person.save(on: db)
            return ((), [AuditRecord(turnOff ? "totp-disable" : "totp-enable", "person", id: user.id)])
        }
        return try await render(req, state: FormState(), notification: .success(turnOff ? "Security code turned off" : "Security code turned on"))
    }

    static let tokenLifetime: TimeInterval = 12 * 3600

    @Sendable static func createToken(req: Request) async throws -> Response {
        let user = try user(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        checks.text(form["name"], "name", "Name the token", max: 100)
        guard checks.isValid else { return try await render(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors) }
        let token = Tokens.random()
        let now = req.now
        try await req.db.audited(by: req.actor, now: now) { db in
            let row = APIToken(personID: user.id, tokenHash: Tokens.sha256(token), name: form["name"].trimmed,
                               expiresAt: now.addingTimeInterval(tokenLifetime))
            try await row.create(on: db)
            return ((), [AuditRecord("token-create", "api-token", id: row.id, detail: row.name)])
        }
        return try await render(req, state: FormState(), newToken: token,
                                notification: .important("Copy your token now", "It is shown only once and lasts 12 hours."))
    }

    @Sendable static func revokeToken(req: Request) async throws -> Response {
        let user = try user(req)
        let id = try req.uuid("token")
        try await req.db.audited(by: req.actor, now: req.now) { db in
            guard let token = try await APIToken.find(id, on: db), token.$person.id == user.id else { throw Abort(.notFound) }
            token.revokedAt = req.now
            try await token.save(on: db)
            return ((), [AuditRecord("token-revoke", "api-token", id: id)])
        }
        return req.redirect(to: SiteURL.account.path)
    }
}
