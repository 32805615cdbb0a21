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

    @Sendable static func show(req: Request) async throws -> Response {
        let temporary = try Operations.accountHolder(req.lifecycle).mustChangePassword
        return try await render(req, state: FormState(), notification: temporary
            ? .important("Choose your own password", "You signed in with a temporary password. Change it before you go on.") : nil)
    }

    static func render(_ req: Request, state: FormState, errors: [InputError] = [], newToken: String = "",
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let account = try await Operations.account(req.lifecycle)
        let (person, tokens, sessions) = (account.person, account.tokens, account.sessions)
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
                           browser: String($0.userAgent.prefix(60)), current: $0.id == req.currentUser?.sessionID)
            },
            external: person.passwordHash == nil && person.oidcSubject == nil,
            hasPassword: person.passwordHash != nil,
            showSecurityCode: person.passwordHash != nil || person.role.requiresSecondFactor,
            directory: account.directory)
        return try await req.page("account", title: "Your account", page, errors: errors, notification: notification)
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.changePassword(req.lifecycle, current: form["current"], new: form["new"], confirm: form["confirm"])
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(), errors: RequestController.dedupe(failure.errors))
        }
        return try await render(req, state: FormState(), notification: .success("Password changed",
            "Your other sessions have been signed out and your API tokens revoked."))
    }

    /// Turns the security code on (with a code from the app) or off (never for administrators).
    @Sendable static func totp(req: Request) async throws -> Response {
        let form = try FormData(req)
        let turnOff = form["action"] == "disable"
        do {
            try await Operations.setSecurityCode(req.lifecycle, enabled: !turnOff, code: form["code"])
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(), errors: failure.errors)
        }
        return try await render(req, state: FormState(), notification: .success(turnOff ? "Security code turned off" : "Security code turned on"))
    }

    @Sendable static func createToken(req: Request) async throws -> Response {
        let form = try FormData(req)
        let token: String
        do {
            token = try await Operations.createToken(req.lifecycle, name: form["name"])
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return try await render(req, state: FormState(), newToken: token,
                                notification: .important("Copy your token now", "It is shown only once and lasts 12 hours."))
    }

    @Sendable static func revokeToken(req: Request) async throws -> Response {
        try await Operations.revokeToken(req.lifecycle, tokenID: try req.uuid("token"))
        return req.redirect(to: SiteURL.account.path)
    }
}
