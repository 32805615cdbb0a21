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

    @Sendable static func show(req: Request) async throws -> Response {
        let temporary = try Operations.accountHolder(req.lifecycle).mustChangePassword
        return try await render(req, state: FormState(), notification: temporary
            ? .important("Choose your own password", "You signed in with a temporary password. Change it before you go on.") : nil)
    }

    static func render(_ req: Request, state: FormState, errors: [InputError] = [], newToken: String = "",
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let account = try await Operations.account(req.lifecycle)
        let page = AccountPage(account, packs: req.convene.packs, state: state, newToken: newToken, sessionID: req.currentUser?.sessionID)
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
